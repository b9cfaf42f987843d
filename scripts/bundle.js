// Bundles the CLI into one CommonJS file, dist/pops.cjs, which bin/pops.js
// loads. One file instead of dozens of ES modules halves the module-loading
// part of start-up (SPEC §9: `groups list --json` within 1.5× of `node -e 0`).
// Libraries that only some commands use stay outside the bundle and are
// loaded from node_modules on first use; commander and chalk (small, and
// chalk is ESM-only) are bundled in.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outfile: path.join(root, 'dist', 'pops.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', 'zod', 'libphonenumber-js', '@inquirer/prompts', 'csv-parse', 'csv-stringify', 'cli-table3', 'diff'],
  // import.meta.url has no meaning in CommonJS: give it the bundle's own URL.
  banner: { js: "const __popsBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__popsBundleUrl' },
  logLevel: 'warning',
  legalComments: 'none',
});
