// Running the real binary on real temporary stores.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'pops.js');
export const DEMO_FIXTURE = path.join(ROOT, 'fixtures', 'demo.json');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Run `pops <args>` as a user would (no TTY), with a clean, predictable environment. */
export function pops(args: string[], options: RunOptions = {}): RunResult {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), POPS_ACTOR: 'tester' };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    env,
    cwd: options.cwd ?? os.tmpdir(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // A hang must fail the test, not stall the run (spawnSync blocks vitest's own timeout).
    timeout: 90_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const temporaryDirs: string[] = [];
process.on('exit', () => {
  for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix = 'pops-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** A new store at a temporary path: empty, or loaded with a dump document or file. */
export function makeStore(content?: { demo?: boolean; dump?: unknown }): string {
  const db = path.join(tempDir(), 'pops.db');
  const init = pops(['--db', db, 'init', ...(content?.demo ? ['--demo'] : [])]);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  if (content?.dump !== undefined) {
    const result = pops(['--db', db, 'import', '-'], { input: JSON.stringify(content.dump) });
    if (result.code !== 0) throw new Error(`import failed: ${result.stderr}`);
  }
  return db;
}

/** SHA-256 of the store file and its WAL: equal digests mean a byte-for-byte unchanged store. */
export function storeDigest(db: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of [db, `${db}-wal`]) {
    hash.update(file.endsWith('-wal') ? 'wal:' : 'db:');
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

export function demoDump(): any {
  return JSON.parse(fs.readFileSync(DEMO_FIXTURE, 'utf8'));
}
