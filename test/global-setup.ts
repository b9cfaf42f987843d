// End-to-end tests run the real bin/pops.js, which loads dist/: build it once
// before any test so the tests never run stale code.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
