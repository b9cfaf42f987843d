// With POPS_DEBUG=1, stack traces name the files actually running (docs/performance.md,
// "Code cache"). V8 names the frames of a script compiled from a code cache after the
// file the cache was made from, so bin/pops.js uses a cache only for the bundle it was
// made for: an install copied to another folder never names the folder it was built in.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, childEnv, tempDir } from '../helpers/cli.js';

const BUNDLE = path.join(ROOT, 'dist', 'pops.cjs');

function cacheFile(bundle: string): string {
  const build = /^\/\/ pops-build ([0-9a-f-]{36})\n/.exec(fs.readFileSync(bundle, 'utf8'))![1];
  return `${bundle}.${build}.cache`;
}

describe('stack traces with the code cache', () => {
  it("the build's cache says which bundle it was made for, and holds that bundle's source as CommonJS wraps it", () => {
    const cache = fs.readFileSync(cacheFile(BUNDLE));
    const newline = cache.indexOf(10);
    const wrapped = Module.wrap(fs.readFileSync(BUNDLE, 'utf8'));
    expect(cache.subarray(0, newline).toString('utf8')).toBe(`pops-code-cache ${JSON.stringify(BUNDLE)} ${wrapped.length}`);
    expect(cache.subarray(newline + 1, newline + 1 + wrapped.length).toString('latin1')).toBe(wrapped);
  });

  it('an install copied to another folder, cache and all, names its own files in a POPS_DEBUG stack trace', () => {
    const root = tempDir('pops-moved-install-');
    for (const dir of ['bin', 'dist']) fs.mkdirSync(path.join(root, dir));
    fs.copyFileSync(path.join(ROOT, 'bin', 'pops.js'), path.join(root, 'bin', 'pops.js'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(root, 'bin', 'package.json'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(root, 'bin', 'package.json'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
    const bundle = path.join(root, 'dist', 'pops.cjs');
    fs.copyFileSync(BUNDLE, bundle);
    fs.copyFileSync(cacheFile(BUNDLE), cacheFile(bundle));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));

    const missing = path.join(root, 'no-store.db');
    const result = spawnSync(process.execPath, [path.join(root, 'bin', 'pops.js'), '--db', missing, 'groups', 'list'], {
      encoding: 'utf8',
      env: childEnv({ POPS_DEBUG: '1' }),
    });
    expect(result.status).toBe(4);
    const frames = result.stderr.split('\n').filter((l) => /^\s+at /.test(l));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter((l) => l.includes('pops.cjs:')).every((l) => l.includes(`${bundle}:`))).toBe(true);
    expect(result.stderr).toContain(`${bundle}:`);
    expect(result.stderr).not.toContain(`${BUNDLE}:`);
  });
});
