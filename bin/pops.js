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
  // The cache made for this very build (its id is in the bundle's first line):
  // V8 itself only checks that a cache was made from a source of the same length.
  const source = fs.readFileSync(bundle, 'utf8');
  const build = /^\/\/ pops-build ([0-9a-f-]{36})\n/.exec(source)?.[1];
  let cachedData;
  try {
    if (build !== undefined) cachedData = cacheFor(fs.readFileSync(`${bundle}.${build}.cache`));
  } catch {
    // No cache for this build.
  }
  if (cachedData === undefined) return requireBundle(bundle);
  // A damaged cache is rejected by V8, which then compiles from source. (The build
  // makes no cache for a bundle that uses import(): a vm.Script cannot run it.)
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, requireBundle, module, bundle, path.dirname(bundle));
  return module.exports;
}

/**
 * The V8 data of a cache file made for the bundle at this very path, else
 * undefined. V8 names stack frames after the file a cache was made from, not
 * the one given now: a cache copied with the install to another folder would
 * make stack traces (POPS_DEBUG=1) name the folder it was built in. Such a
 * cache is not used; the bundle is compiled from source (docs/performance.md).
 */
function cacheFor(file) {
  const newline = file.indexOf(10);
  if (newline < 0 || file.toString('utf8', 0, newline) !== cacheHeader(bundle)) return undefined;
  return file.subarray(newline + 1);
}

/** The first line of a cache file: the path of the bundle it was made for (scripts/code-cache.cjs writes it). */
function cacheHeader(bundlePath) {
  return `pops-code-cache ${JSON.stringify(bundlePath)}`;
}
