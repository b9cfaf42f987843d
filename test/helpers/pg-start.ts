// Starting a PostgreSQL server for tests (test/helpers/pg-server.mjs): the
// run's server (test/global-setup.ts), and servers a test stops and starts
// again itself.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** /dev/shm when it is a folder pops can write in. */
function memoryFolder(): string | undefined {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return fs.statSync('/dev/shm').isDirectory() ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A new folder for a server's cluster, open to others: run as root, the server runs as the user
 * `postgres`, which must reach its data folder. In memory where the machine has /dev/shm: each
 * test's database is a copy of a template, which takes 15-25 ms there and about 200 ms on this
 * machine's disk (fsync is off either way).
 */
export function newServerFolder(): string {
  const folder = fs.mkdtempSync(path.join(memoryFolder() ?? os.tmpdir(), 'pops-pg-'));
  fs.chmodSync(folder, 0o755);
  return folder;
}

/**
 * A test server (test/helpers/pg-server.mjs) on the cluster in `folder` (made there the first time):
 * its admin URL, and how to stop it (a fast shutdown), then remove the folder unless `keep`.
 */
export async function startPostgres(folder: string): Promise<{ url: string; stop: (keep?: boolean) => Promise<void> }> {
  const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
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
    stop: async (keep = false) => {
      child.stdin!.end();
      // At most 15 s (a timer that does not keep the run alive once the server is gone).
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      if (!keep) fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
