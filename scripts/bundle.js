// Bundles the CLI into one CommonJS file, dist/pops.cjs, which bin/pops.js
// loads. One file instead of dozens of ES modules halves the module-loading
// part of start-up (SPEC §9: `groups list --json` within 1.5× of `node -e 0`).
// Libraries that only some commands use stay outside the bundle and are
// loaded from node_modules on first use; commander and chalk (small, and
// chalk is ESM-only) are bundled in, and so is better-sqlite3's JavaScript (its
// twenty-odd small files cost start-up; its compiled addon stays in
// node_modules and is opened by path, see src/store/open.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// commander requires node:child_process up front (for executable subcommands,
// which pops does not have); loading it pulls in net, dgram and streams, a
// measurable part of start-up. chalk's colour probe imports node:os (used on
// Windows only), and so do the two places that need the OS user name or home
// folder. Within the bundle each becomes a stand-in that loads the real module
// on first use. Only default imports work through it (a named import would
// find nothing): the build fails on any other.
const LAZY_BUILTINS = /^node:(child_process|os)$/;
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: LAZY_BUILTINS }, (args) => {
      if (args.kind === 'import-statement' && !defaultImportOnly(args.importer, args.path)) {
        return { errors: [{ text: `${args.path} is loaded on first use in the bundle: import its default export only` }] };
      }
      return { path: args.path.slice('node:'.length), namespace: 'lazy-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require(${JSON.stringify(args.path)}))[key] });`,
      loader: 'js',
    }));
  },
};

/** Whether every import of `specifier` in `file` is `import name from '<specifier>'`. */
function defaultImportOnly(file, specifier) {
  const source = fs.readFileSync(file, 'utf8');
  const quoted = `['"]${specifier}['"]`;
  const all = source.match(new RegExp(`import[^;]*?from\\s*${quoted}`, 'g')) ?? [];
  return all.every((statement) => new RegExp(`^import\\s+[\\w$]+\\s+from\\s*${quoted}$`).test(statement));
}

// chalk probes the terminal when it loads (supports-color asks tty.isatty of
// stdout and stderr), which loads the tty and net modules on every start.
// pops never uses that probe: it makes its own Chalk with the color level it
// worked out itself (src/base/io.ts, src/render/page-style.ts). Within
// chalk, node:tty is a stand-in that says no terminal, without loading tty.
const chalkWithoutProbe = {
  name: 'chalk-without-probe',
  setup(build) {
    build.onResolve({ filter: /^node:tty$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: 'tty', namespace: 'no-probe' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-probe' }, () => ({ contents: 'export default { isatty: () => false };', loader: 'js' }));
  },
};

// `import fs from 'node:fs'` in an ES module becomes, in a CommonJS bundle,
// esbuild's interop copy of the whole module object (a getter per export),
// made again in every file that imports it: a few milliseconds of start-up.
// Each builtin becomes one small ES module whose default export is the
// module object itself. pops's sources import builtins by their default
// export only (a named import fails this build, on purpose).
const plainBuiltins = {
  name: 'plain-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      // Only ES imports: a library's require('node:…') gets the module object as it is.
      args.kind !== 'import-statement' || LAZY_BUILTINS.test(args.path) || args.namespace === 'plain-builtin'
        ? undefined
        : { path: args.path, namespace: 'plain-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'plain-builtin' }, (args) => ({
      contents: `export default require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

// src/base/require-here.ts makes a require with node:module for the ES-module
// sources; a bundle is CommonJS and has the require it was started with, which
// resolves from the same package (bin/pops.js hands dist/pops.cjs its own):
// start-up need not load node:module (docs/performance.md, "Start-up").
const requireAsStarted = {
  name: 'require-as-started',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]base[\\/]require-here\.ts$/ }, () => ({ contents: 'export const requireHere = require;', loader: 'js' }));
  },
};

// dist/ holds only what the build makes: files of older builds (the tsc
// output of earlier versions) are removed after the new ones are written, so
// a command running meanwhile never finds dist/ empty.
const OUTPUTS = new Set(['pops.cjs', 'snapshot-worker.cjs', 'pg-worker.cjs', 'bench-store-kit.cjs']);

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['zod', 'libphonenumber-js', '@inquirer/prompts', 'csv-parse', 'csv-stringify', 'cli-table3', 'diff', 'pg', 'pg-cursor', 'pg-connection-string'],
  // The build's id names its code cache (bin/pops.js, scripts/code-cache.cjs).
  // "use strict" comes before any statement, or it is no directive: the sources are ES modules, which
  // are strict, and the bundle must run as they do (esbuild's own "use strict" comes after the banner).
  // import.meta.url has no meaning in CommonJS: give it the bundle's own URL, made when first asked
  // for (making a URL costs start-up 0.4 ms, and most commands never ask).
  banner: {
    js: `// pops-build ${randomUUID()}\n'use strict';\nconst __popsBundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };`,
  },
  define: {
    'import.meta.url': '__popsBundle.url',
    __POPS_VERSION__: JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version),
  },
  plugins: [lazyBuiltins, chalkWithoutProbe, plainBuiltins, requireAsStarted],
  logLevel: 'warning',
  legalComments: 'none',
  // Without indentation and line breaks the bundle is a quarter smaller: read, held and hashed at every
  // start (docs/performance.md, "Start-up"). Names stay as written, for POPS_DEBUG=1 stack traces.
  minifyWhitespace: true,
};
await build({ ...common, entryPoints: [path.join(root, 'src', 'cli.ts')], outfile: path.join(root, 'dist', 'pops.cjs') });
// esbuild writes strings as ASCII (escapes), but keeps some comments as they are. One character
// outside ASCII makes V8 hold the whole 0.4 MB source two bytes a character, and the code cache,
// which holds the source as Latin-1 (scripts/code-cache.cjs), cannot be made: every start would
// compile the bundle (docs/performance.md, "Start-up").
{
  const lines = fs.readFileSync(path.join(root, 'dist', 'pops.cjs'), 'utf8').split('\n');
  const at = lines.findIndex((line) => /[\u0080-\uffff]/.test(line));
  if (at >= 0) {
    // Lines are long without indentation: show the text around the character.
    const column = lines[at].search(/[\u0080-\uffff]/);
    const around = lines[at].slice(Math.max(0, column - 60), column + 60);
    console.error(`dist/pops.cjs line ${at + 1}, column ${column + 1} holds a character outside ASCII (write it as ASCII in the source): ${around}`);
    process.exit(1);
  }
}
// The entry file of the snapshot helper threads (src/services/snapshot-worker.ts).
await build({ ...common, entryPoints: [path.join(root, 'src', 'services', 'snapshot-worker.ts')], outfile: path.join(root, 'dist', 'snapshot-worker.cjs') });

// The entry file of a PostgreSQL connection's thread (src/store/pg/worker.ts), node-postgres in it: one
// file loads in a third of the time its thirty-odd modules take (docs/performance.md, "Start-up").
// pg-native and pg-cloudflare are optional parts node-postgres loads only when asked for them.
await build({
  ...common,
  external: [...common.external.filter((name) => !name.startsWith('pg')), 'pg-native', 'pg-cloudflare'],
  entryPoints: [path.join(root, 'src', 'store', 'pg', 'worker.ts')],
  outfile: path.join(root, 'dist', 'pg-worker.cjs'),
});

// What the benchmark's store generator uses of the store code (bench/store-kit.ts).
await build({ ...common, entryPoints: [path.join(root, 'bench', 'store-kit.ts')], outfile: path.join(root, 'dist', 'bench-store-kit.cjs') });

for (const entry of fs.readdirSync(path.join(root, 'dist'))) {
  if (!OUTPUTS.has(entry) && !/^pops\.cjs\..*\.cache$/.test(entry)) fs.rmSync(path.join(root, 'dist', entry), { recursive: true, force: true });
}

// The code cache of this bundle (optional: without it pops only starts slower).
const cache = spawnSync(process.execPath, [path.join(root, 'scripts', 'code-cache.cjs')], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (cache.status !== 0) console.warn(`warning: no code cache was made for dist/pops.cjs (${cache.stderr.trim()}); start-up will be slower`);
