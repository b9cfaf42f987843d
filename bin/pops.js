#!/usr/bin/env node
// Launcher only: the program is dist/pops.cjs, built by `npm run build`.
// CommonJS (bin/package.json), so that starting pops never starts the ES
// module loader. When the build left a V8 code cache for this very bundle
// (scripts/code-cache.cjs), the bundle is compiled with it, which spares
// start-up the parsing and compiling. Once the command has finished and its
// output is written, the process ends at once instead of tearing down the
// runtime at leisure (docs/performance.md, "Start-up").
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'pops.cjs');
/**
 * What the cache's source is wrapped in (require('node:module').wrap, the same on every Node this
 * package supports): written out, so that starting pops does not load node:module.
 */
const WRAPPER = '(function (exports, require, module, __filename, __dirname) { \n});';
/** How much of a cache file is read for its first line, which names the bundle's path (a longer one: no cache). */
const FIRST_LINE_BYTES = 16384;
/** A store file from this size on (about 700 accounts) makes a snapshot set large enough for a second thread. */
const LARGE_STORE_BYTES = 1024 * 1024;
startSnapshotHelper(process.argv.slice(2));
const { main } = loadBundle();
main(process.argv.slice(2)).then(exitWhenWritten);

/**
 * The second thread of a large snapshot set (`preview --all --out` of a store
 * file of 1 MiB or more), started before the program loads, so that it is
 * ready about 50 ms sooner: it waits for the set's setup in a message
 * (src/services/snapshot-helper.ts, which takes it from here). For any other
 * command line nothing is started. A set that does not use it after all (a
 * small group, a refused command line) ends it with the process, which costs
 * such a run 10-20 ms (docs/performance.md, "Snapshots").
 */
function startSnapshotHelper(argv) {
  if (!argv.includes('preview') || !argv.includes('--all') || !argv.some((word) => word === '--out' || word.startsWith('--out='))) return;
  if (storeFileSize(argv) < LARGE_STORE_BYTES) return;
  const file = path.join(__dirname, '..', 'dist', 'snapshot-worker.cjs');
  if (!fs.existsSync(file)) return;
  const { Worker } = require('node:worker_threads');
  let worker;
  try {
    worker = new Worker(file);
  } catch {
    // No thread can be started now (a limit, a permission): the run starts its own when it needs one, and says why if it cannot.
    return;
  }
  const early = { worker, failed: false };
  // An error of the thread never ends the process from here: a run that takes the thread hears of it itself, and
  // one known to have failed before it is taken is not used (the run starts its own).
  early.worker.on('error', () => (early.failed = true));
  early.worker.once('exit', () => (early.failed = true));
  early.worker.unref();
  globalThis[Symbol.for('pops.snapshot-helper')] = early;
}

/**
 * The size of the store file the command line names (--db, else POPS_DB, else
 * pops.db here), or 0: only a guess of whether a set is large, made before
 * the program reads its options; a PostgreSQL URL is no file.
 */
function storeFileSize(argv) {
  let db = process.env.POPS_DB || 'pops.db';
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--') break;
    if (argv[i] === '--db' && i + 1 < argv.length) db = argv[i + 1];
    else if (argv[i].startsWith('--db=')) db = argv[i].slice('--db='.length);
  }
  try {
    return fs.statSync(db).size;
  } catch {
    return 0;
  }
}

/** Exit with `code` once stdout and stderr have handed over everything written to them. */
function exitWhenWritten(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.exitCode = code;
  // An empty write calls back once everything before it is written (or the stream failed).
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', done);
  }
}

function loadBundle() {
  // The bundle requires with this file's require: dist/ and bin/ are side by side in the package, and
  // find the same node_modules.
  const requireBundle = require;
  const cached = cachedBundle();
  if (cached === undefined) return requireBundle(bundle);
  // V8 rejects a cache cut short or made by another V8 or with other flags, and then compiles
  // from source. It does not check the rest of its data: bytes changed in place can crash it
  // (docs/performance.md, "Earlier work", the code cache). (The build makes no cache for a
  // bundle that uses import(): a vm.Script cannot run it.)
  let script;
  try {
    script = new vm.Script(cached.source, { filename: bundle, cachedData: cached.data });
  } catch {
    // The source the cache holds does not compile (damaged in place): the bundle itself runs.
    return requireBundle(bundle);
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, requireBundle, module, bundle, path.dirname(bundle));
  return module.exports;
}

/**
 * The bundle's source, wrapped as CommonJS wraps a module, and its V8 code
 * cache, from the cache file the build made for this very bundle
 * (scripts/code-cache.cjs); else undefined. The cache's file name carries the
 * build id of the bundle's first line, and its first line the path of the
 * bundle it was made for and the length of the wrapped source that follows
 * it. The source is read from there, wrapped already: wrapping it here made V8
 * copy it into one flat string at every start (docs/performance.md,
 * "Start-up"). The cache is not used for a bundle at another path (V8 would
 * name stack frames after the folder it was built in), nor for a bundle whose
 * size differs from the source it holds (a bundle changed since the build:
 * that bundle is the one that runs).
 *
 * The source and V8's data are read one after the other into one buffer, each
 * at its start: memory touched for the first time costs a page fault per 4 KB,
 * and V8 copies data that does not start on an 8-byte boundary
 * (docs/performance.md, "Start-up").
 */
function cachedBundle() {
  try {
    const head = Buffer.alloc(64);
    const fd = fs.openSync(bundle, 'r');
    let size;
    try {
      size = fs.fstatSync(fd).size;
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    const build = /^\/\/ pops-build ([0-9a-f-]{36})\n/.exec(head.toString('latin1'))?.[1];
    if (build === undefined) return undefined;
    // Opened without waiting: a FIFO by that name would otherwise block the start until something wrote to it.
    const cache = fs.openSync(`${bundle}.${build}.cache`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const stat = fs.fstatSync(cache);
      if (!stat.isFile()) return undefined;
      const total = stat.size;
      const first = readAt(cache, Buffer.allocUnsafeSlow(Math.min(total, FIRST_LINE_BYTES)), 0);
      const newline = first === undefined ? -1 : first.indexOf(10);
      const header = newline < 0 ? null : /^pops-code-cache (".*") (\d+)$/s.exec(first.toString('utf8', 0, newline));
      if (header === null || JSON.parse(header[1]) !== bundle) return undefined;
      const length = Number(header[2]);
      const dataAt = newline + 1 + length;
      if (length !== WRAPPER.length + size || dataAt >= total) return undefined;
      const buffer = Buffer.allocUnsafeSlow(Math.max(length, total - dataAt));
      // The source is copied out of the buffer (a string) before V8's data is read into it.
      const source = readAt(cache, buffer.subarray(0, length), newline + 1)?.toString('latin1');
      const data = source === undefined ? undefined : readAt(cache, buffer.subarray(0, total - dataAt), dataAt);
      return data === undefined ? undefined : { source, data };
    } finally {
      fs.closeSync(cache);
    }
  } catch {
    // No cache for this build, or not one this launcher can read: the bundle compiles from source.
    return undefined;
  }
}

/** `into` filled from `fd` at `position`, or undefined if the file ends first. */
function readAt(fd, into, position) {
  let done = 0;
  while (done < into.length) {
    const read = fs.readSync(fd, into, done, into.length - done, position + done);
    if (read === 0) return undefined;
    done += read;
  }
  return into;
}
