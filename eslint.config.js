// Lint: typescript-eslint's recommended rules, Prettier for layout, and the
// layers of docs/architecture.md enforced with import-x/no-restricted-paths.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Each layer, and the layers it may import from (besides itself). */
const LAYERS = {
  base: [],
  domain: ['base'],
  store: ['domain', 'base'],
  render: ['domain', 'base'],
  services: ['store', 'render', 'domain', 'base'],
  shell: ['services', 'store', 'render', 'domain', 'base'],
};
const ALL = [...Object.keys(LAYERS), 'commands'];

const zones = [
  ...Object.entries(LAYERS).map(([layer, allowed]) => ({
    target: `./src/${layer}`,
    from: ['./src/cli.ts', ...ALL.filter((other) => other !== layer && !allowed.includes(other)).map((other) => `./src/${other}`)],
    message: `src/${layer} may import only from ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'node and libraries'} (see docs/architecture.md).`,
  })),
  {
    target: './src/commands',
    from: ['./src/commands', './src/cli.ts'],
    message: 'A command does not import another command: move what they share to src/shell (see docs/architecture.md).',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/.data/', '.demo/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-unresolved': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests and the demo generator look for (and plant) raw control characters and escapes on purpose.
    files: ['test/**', 'fixtures/**'],
    rules: { 'no-control-regex': 'off' },
  },
  prettier,
);
