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
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'pops.cjs');
const { main } = loadBundle();
main(process.argv.slice(2)).then(exitWhenWritten);

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
  const requireBundle = Module.createRequire(bundle);
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
    const file = fs.readFileSync(`${bundle}.${build}.cache`);
    const newline = file.indexOf(10);
    const header = newline < 0 ? null : /^pops-code-cache (".*") (\d+)$/s.exec(file.toString('utf8', 0, newline));
    if (header === null || JSON.parse(header[1]) !== bundle) return undefined;
    const length = Number(header[2]);
    const end = newline + 1 + length;
    if (length !== Module.wrap('').length + size || end > file.length) return undefined;
    return { source: file.toString('latin1', newline + 1, end), data: file.subarray(end) };
  } catch {
    // No cache for this build, or not one this launcher can read: the bundle compiles from source.
    return undefined;
  }
}
