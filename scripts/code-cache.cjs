// Makes dist/pops.cjs's V8 code cache, which bin/pops.js hands to V8 so that
// start-up skips parsing and compiling the bundle (SPEC §9: every command
// starts within 1.5–2× of `node -e 0`). Run by scripts/bundle.js, and with
// --installed by npm after installing the package (postinstall): the cache a
// package carries was made where it was built, and is used only by a bundle
// at that path, so an install makes its own. --installed does nothing in a
// checkout not built yet (npm's prepare then builds it, cache and all) or
// where the cache was made for this very bundle, and a failure there is a
// warning, never a failed install (pops then starts without the cache).
//
// The cache holds the bytecode of every function compiled before it is taken,
// so it is taken after running a few everyday commands against a throwaway
// demo store. It is only ever used with the exact bundle it was made from: its
// file name carries the build id written in the bundle's first line.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const { spawnSync } = require('node:child_process');

const bundle = path.join(__dirname, '..', 'dist', 'pops.cjs');

/**
 * What runs before the cache is taken. The cache holds the bytecode of every
 * function compiled by then, and V8 reads all of it at every start: a cache
 * warmed by many commands made every start slower than one warmed by the two
 * everyday reads (docs/performance.md, "Start-up"). Functions not in the
 * cache are compiled when first called. `none` and `many` are kept for
 * measuring that again (POPS_CACHE_WARM_UP=none npm run build).
 */
const WARM_UP = {
  none: [],
  everyday: [
    ['groups', 'list', '--json'],
    ['preview', '10004'],
  ],
  many: [
    ['groups', 'list', '--json'],
    ['groups', 'show', 'Lakeside Pediatrics'],
    ['accounts', 'list', '--json'],
    ['preview', '10004'],
  ],
};

async function main() {
  const source = fs.readFileSync(bundle, 'utf8');
  const build = buildOf(source);
  const file = `${bundle}.${build}.cache`;
  // Older builds' caches, and what a run killed before its rename left (`<cache>.<pid>.partial`).
  for (const old of fs.readdirSync(path.dirname(bundle))) {
    if (/^pops\.cjs\..*\.cache(\.\d+\.partial)?$/.test(old) && path.join(path.dirname(bundle), old) !== file) fs.rmSync(path.join(path.dirname(bundle), old));
  }
  // A vm.Script cannot run import() on Node 20 (not without an experimental
  // option that code caches break): a bundle that uses it gets no cache, and
  // bin/pops.js then loads it with require. Libraries load through require (src/lazy.ts).
  if (/[^\w$.]import\(/.test(source)) throw new Error('the bundle uses import(); load that library with require (src/lazy.ts)');
  // The launcher gets the source from the cache file, wrapped already (see the file's format below).
  const wrapped = Module.wrap(source);
  const script = new vm.Script(wrapped, { filename: bundle });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  const { main: pops } = module.exports;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pops-code-cache-'));
  try {
    const db = path.join(dir, 'demo.db');
    // The store is made by another process, so that what only init runs stays out of the cache.
    const made = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'pops.js'), '--db', db, 'init', '--demo'], { stdio: 'ignore' });
    if (made.status !== 0) throw new Error(`pops init --demo exited ${made.status} while warming the code cache`);
    for (const args of WARM_UP[process.env.POPS_CACHE_WARM_UP ?? 'everyday']) {
      const code = await pops(['--db', db, ...args]);
      if (code !== 0) throw new Error(`pops ${args.join(' ')} exited ${code} while warming the code cache`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The file: one line naming the bundle the cache was made for and the length of its wrapped source,
  // then that source, then V8's data. V8 names stack frames after the bundle's path, so bin/pops.js
  // uses the cache only for a bundle at this very path. The source comes wrapped as the launcher
  // compiles it: wrapping it at every start made V8 copy 0.4 MB into one flat string first
  // (docs/performance.md, "Start-up"). The bundle is ASCII (scripts/bundle.js), one byte a character.
  if (Buffer.byteLength(wrapped, 'latin1') !== Buffer.byteLength(wrapped, 'utf8')) throw new Error('the bundle is not ASCII');
  const header = Buffer.from(`pops-code-cache ${JSON.stringify(bundle)} ${wrapped.length}\n`);
  // Written beside and renamed into place: a pops starting meanwhile reads the old cache or the new one.
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(partial, Buffer.concat([header, Buffer.from(wrapped, 'latin1'), script.createCachedData()]));
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** The bundle path named by the first line of the cache file `file`, if there is one. */
function madeFor(file) {
  try {
    // The first line alone (the launcher reads no more of it either): the rest is the bundle and V8's data.
    const head = Buffer.alloc(16384);
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    let first;
    try {
      first = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
    const header = /^pops-code-cache (".*") \d+\n/s.exec(first.toString('utf8', 0, first.indexOf(10) + 1));
    return header === null ? undefined : JSON.parse(header[1]);
  } catch {
    return undefined;
  }
}

/** The build id in the bundle's first line. */
function buildOf(source) {
  const build = /^\/\/ pops-build ([0-9a-f-]{36})\n/.exec(source)?.[1];
  if (build === undefined) throw new Error('the bundle has no build id in its first line');
  return build;
}

/**
 * After npm installed the package: the cache made by this script run as at
 * build time, in a process of its own whose output (the warm-up's) goes
 * nowhere, unless there is no bundle yet or the cache is this bundle's.
 */
function afterInstall() {
  if (!fs.existsSync(bundle)) return;
  let reason;
  try {
    if (madeFor(`${bundle}.${buildOf(fs.readFileSync(bundle, 'latin1').slice(0, 64))}.cache`) === bundle) return;
    const made = spawnSync(process.execPath, [__filename], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (made.status === 0) return;
    reason = made.stderr.trim().replace(/^code cache not made: /, '') || `exit ${made.status ?? made.signal}`;
  } catch (error) {
    reason = error.message;
  }
  console.warn(`pops: no code cache was made for this install (${reason}); commands start without it, a little slower`);
}

if (process.argv[2] === '--installed') {
  afterInstall();
} else {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`code cache not made: ${error.message}`);
      process.exit(1);
    },
  );
}
