// bin/pops.js starts the bundle with the V8 code cache the build made for it
// (scripts/code-cache.cjs), and without one when the cache is missing or bad.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, childEnv, makeStore, pops, tempDir } from '../helpers/cli.js';

const BUNDLE = path.join(ROOT, 'dist', 'pops.cjs');

/** A copy of the installed program (launcher, bundle, package.json) using this checkout's node_modules (or `modules`). */
function installCopy(modules = path.join(ROOT, 'node_modules'), root = tempDir('pops-install-')): { bin: string; bundle: string } {
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(path.join(root, 'bin'));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'pops.js'), path.join(root, 'bin', 'pops.js'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(root, 'bin', 'package.json'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  const bundle = path.join(root, 'dist', 'pops.cjs');
  fs.copyFileSync(BUNDLE, bundle);
  fs.symlinkSync(modules, path.join(root, 'node_modules'));
  return { bin: path.join(root, 'bin', 'pops.js'), bundle };
}

/** Where the launcher looks for the code cache of this bundle: named after the build id in its first line. */
function cacheName(bundle: string): string {
  const build = /^\/\/ pops-build ([0-9a-f-]{36})\n/.exec(fs.readFileSync(bundle, 'utf8'))?.[1];
  expect(build).toBeDefined();
  return `${bundle}.${build}.cache`;
}

let db: string;
let expected: string;
beforeAll(async () => {
  db = await makeStore({ demo: true });
  expected = (await pops(['--db', db, 'groups', 'list', '--json'])).stdout;
});

describe('the code cache', () => {
  it('the build leaves one cache, named after the build it was made from', () => {
    const caches = fs.readdirSync(path.dirname(BUNDLE)).filter((name) => name.endsWith('.cache'));
    expect(caches).toEqual([path.basename(cacheName(BUNDLE))]);
    expect(fs.statSync(cacheName(BUNDLE)).size).toBeGreaterThan(10_000);
  });

  it('pops runs the same with the cache, without it, and with a damaged one, one cut short (in its source, or after it) or a FIFO in its place', () => {
    const { bin, bundle } = installCopy();
    const run = () => spawnSync(process.execPath, [bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', env: childEnv(), timeout: 20_000 });
    for (const cache of ['copied', 'missing', 'damaged', 'cut short', 'source only', 'a FIFO'] as const) {
      if (cache === 'copied') fs.copyFileSync(cacheName(BUNDLE), cacheName(bundle));
      if (cache === 'damaged') fs.writeFileSync(cacheName(bundle), Buffer.from('not a code cache, just bytes '.repeat(1000)));
      // The right first line (this bundle's path and source length), then half of the source, or all
      // of it and none of V8's data.
      if (cache === 'cut short' || cache === 'source only') {
        cacheForCopy(bundle);
        const made = fs.readFileSync(cacheName(bundle));
        const newline = made.indexOf(10);
        const length = Number(/ (\d+)$/.exec(made.subarray(0, newline).toString('utf8'))![1]);
        fs.writeFileSync(cacheName(bundle), made.subarray(0, newline + 1 + (cache === 'cut short' ? length / 2 : length)));
      }
      // Nothing ever writes to it: opening it to read would wait for ever.
      if (cache === 'a FIFO') {
        fs.rmSync(cacheName(bundle), { force: true });
        expect(spawnSync('mkfifo', [cacheName(bundle)]).status).toBe(0);
      }
      const result = run();
      expect({ cache, code: result.status, stderr: result.stderr }).toEqual({ cache, code: 0, stderr: '' });
      expect(result.stdout).toBe(expected);
      if (cache === 'copied') fs.rmSync(cacheName(bundle));
    }
  });
});

describe('the built bundles', () => {
  it('run in strict mode, as their ES-module sources do under test', () => {
    const bundles = fs.readdirSync(path.dirname(BUNDLE)).filter((name) => name.endsWith('.cjs'));
    expect(bundles).toContain('pops.cjs');
    expect(bundles).toContain('snapshot-worker.cjs');
    // Strict code may not declare a variable named eval: V8 refuses it when compiling, without running anything.
    const strict = (name: string) => {
      try {
        new vm.Script(`${fs.readFileSync(path.join(path.dirname(BUNDLE), name), 'utf8')}\nvar eval;`);
        return 'sloppy';
      } catch (error) {
        return /strict mode/.test(String(error)) ? 'strict' : String(error);
      }
    };
    expect(Object.fromEntries(bundles.map((name) => [name, strict(name)]))).toEqual(Object.fromEntries(bundles.map((name) => [name, 'strict'])));
  });
});

/** This build's cache for a copy of the bundle at `bundle`: its first line names the copy, as if it had been built there. */
function cacheForCopy(bundle: string): void {
  const built = fs.readFileSync(cacheName(BUNDLE));
  const header = built.subarray(0, built.indexOf(10)).toString('utf8').replace(JSON.stringify(BUNDLE), JSON.stringify(bundle));
  fs.writeFileSync(cacheName(bundle), Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), built.subarray(built.indexOf(10) + 1)]));
}

/** A script loaded before the launcher (`node -r`): reports on stderr whether V8 was given a cache and took it. */
function cacheProbe(): string {
  const probe = path.join(tempDir('pops-probe-'), 'probe.cjs');
  fs.writeFileSync(
    probe,
    `const vm = require('node:vm');
const Script = vm.Script;
vm.Script = function (source, options) {
  const script = new Script(source, options);
  process.stderr.write('code cache: ' + (options && options.cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'none') + '\\n');
  return script;
};
`,
  );
  return probe;
}

describe('an install whose path is not ASCII', () => {
  it('starts with its code cache, as one whose path is; a cache V8 refuses, or a source that does not compile, falls back', () => {
    const probe = cacheProbe();
    const started = (bin: string) =>
      spawnSync(process.execPath, ['-r', probe, bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', env: childEnv() });
    for (const folder of ['cafe', 'café', 'Zoë Müller', '診療所']) {
      const { bin, bundle } = installCopy(undefined, path.join(tempDir('pops-install-'), folder));
      cacheForCopy(bundle);
      const result = started(bin);
      expect({ folder, code: result.status, stderr: result.stderr }).toEqual({ folder, code: 0, stderr: 'code cache: used\n' });
      expect(result.stdout).toBe(expected);
    }
    // The same probe sees V8 refuse V8's data cut short, and the source whole: the bundle compiles from that source.
    const { bin, bundle } = installCopy();
    cacheForCopy(bundle);
    const made = fs.readFileSync(cacheName(bundle));
    fs.writeFileSync(cacheName(bundle), made.subarray(0, made.length - 1000));
    const cut = started(bin);
    expect({ code: cut.status, stderr: cut.stderr }).toEqual({ code: 0, stderr: 'code cache: rejected\n' });
    expect(cut.stdout).toBe(expected);
    // A source that no longer compiles (its length kept), which V8 compiles when it refuses its data: the bundle itself runs.
    const newline = made.indexOf(10);
    const broken = Buffer.from(made.subarray(0, made.length - 1000));
    broken.write('(((', newline + 1 + 5000, 'latin1');
    fs.writeFileSync(cacheName(bundle), broken);
    const fallback = started(bin);
    expect({ code: fallback.status, stderr: fallback.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fallback.stdout).toBe(expected);
  });
});

describe('an installed package (npm runs scripts/code-cache.cjs --installed after installing it)', () => {
  /** An install as npm leaves it: the package's files, with the cache it carries, made where it was built. */
  function installed(): { root: string; bin: string; bundle: string } {
    const root = tempDir('pops-installed-');
    const { bin, bundle } = installCopy(undefined, root);
    fs.copyFileSync(cacheName(BUNDLE), cacheName(bundle));
    fs.cpSync(path.join(ROOT, 'fixtures'), path.join(root, 'fixtures'), { recursive: true });
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'code-cache.cjs'), path.join(root, 'scripts', 'code-cache.cjs'));
    return { root, bin, bundle };
  }
  const postinstall = (root: string) =>
    spawnSync(process.execPath, [path.join(root, 'scripts', 'code-cache.cjs'), '--installed'], { cwd: root, encoding: 'utf8', env: childEnv() });

  it('makes the cache for the bundle where it now is, once; the one it carried was made for another path', () => {
    const probe = cacheProbe();
    const { root, bin, bundle } = installed();
    const started = () => spawnSync(process.execPath, ['-r', probe, bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', env: childEnv() });
    const before = started();
    expect({ code: before.status, stderr: before.stderr }).toEqual({ code: 0, stderr: '' });
    // What an earlier run killed before its rename left.
    fs.writeFileSync(`${cacheName(bundle)}.4242.partial`, 'cut short by a kill');
    const made = postinstall(root);
    expect({ code: made.status, stdout: made.stdout, stderr: made.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readdirSync(path.dirname(bundle)).filter((name) => name.endsWith('.cache') || name.endsWith('.partial'))).toEqual([
      path.basename(cacheName(bundle)),
    ]);
    const after = started();
    expect({ code: after.status, stderr: after.stderr }).toEqual({ code: 0, stderr: 'code cache: used\n' });
    expect(after.stdout).toBe(expected);
    // Run again (npm rebuild): the cache made for this bundle stays as it is.
    const bytes = fs.readFileSync(cacheName(bundle));
    expect(postinstall(root).status).toBe(0);
    expect(fs.readFileSync(cacheName(bundle)).equals(bytes)).toBe(true);
  });

  it('a cache it cannot make is one line of warning, not a failed install, and pops runs without it; a checkout not built yet is left alone', () => {
    const { root, bin } = installed();
    fs.rmSync(path.join(root, 'fixtures'), { recursive: true });
    const failed = postinstall(root);
    expect(failed.status).toBe(0);
    expect(failed.stderr).toMatch(/^pops: no code cache was made for this install \(.+\); commands start without it, a little slower\n$/);
    const run = spawnSync(process.execPath, [bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', env: childEnv() });
    expect({ code: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({ code: 0, stderr: '', stdout: expected });

    const checkout = installed();
    fs.rmSync(path.join(checkout.root, 'dist'), { recursive: true });
    const unbuilt = postinstall(checkout.root);
    expect({ code: unbuilt.status, stdout: unbuilt.stdout, stderr: unbuilt.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(path.join(checkout.root, 'dist'))).toBe(false);
  });
});

describe('a bundle changed since the build', () => {
  it('runs as it is now, not as the source its cache holds', () => {
    // This build's cache, moved with the bundle to the copy's path: without the change it would be used.
    const { bin, bundle } = installCopy();
    cacheForCopy(bundle);
    fs.appendFileSync(bundle, "\nprocess.stderr.write('changed after the build\\n');\n");
    const result = spawnSync(process.execPath, [bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', env: childEnv() });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('changed after the build\n');
    expect(result.stdout).toBe(expected);
  });
});

describe("an installation without better-sqlite3's compiled addon", () => {
  it('every command that opens a store exits 4 with one line saying what is missing and how to fix it', () => {
    // node_modules as installed, except that better-sqlite3 lost its build/ folder.
    const modules = tempDir('pops-modules-');
    for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
      if (name !== 'better-sqlite3') fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
    }
    fs.mkdirSync(path.join(modules, 'better-sqlite3'));
    fs.copyFileSync(path.join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), path.join(modules, 'better-sqlite3', 'package.json'));
    const { bin } = installCopy(modules);
    const result = spawnSync(process.execPath, [bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', env: childEnv() });
    expect(result.status).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `pops: better-sqlite3's compiled addon is missing (looked in ${path.join(modules, 'better-sqlite3', 'build')}): pops cannot open any store\nReinstall it: npm rebuild better-sqlite3\n`,
    );
  });
});
