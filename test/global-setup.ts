// Before any test: bundle the CLI, since the real-binary tests run bin/pops.js,
// which loads dist/pops.cjs and must never run stale code (the in-process
// tests import src/ directly). Type errors are caught by `npm test`'s own
// type check before vitest starts. Also makes one temporary folder for the
// whole run, which the tests' stores and files go under, removed at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's temporary folder (test/helpers/cli.ts: tempDir). */
    runDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const bundle = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling failed:\n${bundle.stdout}${bundle.stderr}`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pops-tests-'));
  project.provide('runDir', runDir);
  return () => {
    try {
      fs.rmSync(runDir, { recursive: true, force: true });
    } catch (error) {
      // A file a test left immutable or a mount it left behind: say so, but the run's result stands.
      console.warn(`could not remove ${runDir}: ${(error as Error).message}`);
    }
  };
}
