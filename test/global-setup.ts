// End-to-end tests run the real bin/pops.js, which loads dist/: build it once
// (and bundle it) before any test so the tests never run stale code. (Type errors are caught
// by `npm test`'s own type check before vitest starts.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) process.stderr.write(`tsc reported problems (dist was still written):\n${result.stdout}${result.stderr}`);
  // bin/pops.js runs the bundle, dist/pops.cjs.
  const bundle = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling failed:\n${bundle.stdout}${bundle.stderr}`);
}
