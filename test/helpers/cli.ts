// Running pops in tests. `pops` calls `main(argv, io)` inside the test process
// with its own streams and environment: what a user sees, without the cost of
// starting node. `popsBinary` runs the real bin/pops.js, for what only a real
// process shows (the launcher, kills, terminals, umask, threads, pipes).
// Stores are copies of template stores, each built once per test file.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, inject } from 'vitest';
import { main } from '../../src/cli.js';
import { makeIO } from '../../src/base/io.js';
import type { Prompter } from '../../src/shell/prompts.js';
import Database from 'better-sqlite3';
import { dropTestDatabases, pgContents, pgDatabase, withKeptConnection, withoutPasswordInUrl } from './postgres.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'pops.js');
export const DEMO_FIXTURE = path.join(ROOT, 'fixtures', 'demo.json');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** What stdin holds (then it ends). */
  input?: string;
  /** Added to the environment (`POPS_ACTOR=tester` and nothing else); undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

export interface InProcessOptions extends RunOptions {
  /** Which streams are terminals (all are pipes unless said), and stdout's width. */
  terminal?: { stdin?: boolean; stdout?: boolean; stderr?: boolean; columns?: number };
  /** Answers the questions of `groups edit` / `groups delete` (see scriptedPrompter). */
  prompt?: Prompter;
}

export interface BinaryOptions extends RunOptions {
  cwd?: string;
}

/** The run's temporary folder (test/global-setup.ts), removed when the run ends. */
const RUN_DIR = inject('runDir');

/**
 * A store path for runs that give no --db: in a folder that does not exist, so
 * that nothing can read or create ./pops.db in the checkout by accident.
 */
const NO_STORE = path.join(RUN_DIR, 'no-such-folder', 'pops.db');

// The PostgreSQL databases a test file's stores were made in (makeStore) go when it ends.
afterAll(dropTestDatabases);

let runsInFlight = 0;
afterEach(() => {
  if (runsInFlight > 0) {
    runsInFlight = 0;
    throw new Error('a pops() run was still going when the test ended: a missing await?');
  }
});

/** Run `pops <args>` in this process, as a user would (no TTY unless `terminal` says so). */
export async function pops(args: string[], options: InProcessOptions = {}): Promise<RunResult> {
  // Runs share this process: one that is not awaited races the next one (and the assertions).
  if (runsInFlight > 0) throw new Error(`pops ${args.join(' ')}: another pops() run is still going (a missing await?)`);
  const stdout = collector();
  const stderr = collector();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const terminal = options.terminal ?? {};
  const io = makeIO({
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    stdoutIsTTY: terminal.stdout ?? false,
    stderrIsTTY: terminal.stderr ?? false,
    stdinIsTTY: terminal.stdin ?? false,
    columns: terminal.stdout ? (terminal.columns ?? 80) : undefined,
    env: environment({ POPS_DB: NO_STORE }, options.env),
    noColor: false,
  });
  runsInFlight += 1;
  try {
    const code = await main(args, io, { prompt: options.prompt });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    runsInFlight = Math.max(0, runsInFlight - 1);
  }
}

/** A stream that keeps everything written to it, decoded as UTF-8 at the end. */
function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 64 * 1024 * 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function environment(base: Record<string, string>, changes: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { POPS_ACTOR: 'tester', ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Run the real `bin/pops.js <args>` (no TTY) with a clean, predictable environment. */
export function popsBinary(args: string[], options: BinaryOptions = {}): RunResult {
  const env = environment({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...passwordFile() }, options.env);
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

/** The environment for a child pops process: PATH, POPS_ACTOR=tester, and `changes`. */
export function childEnv(changes: Record<string, string | undefined> = {}): Record<string, string> {
  return environment({ PATH: process.env.PATH ?? '', ...passwordFile() }, changes);
}

/** The password file of the PostgreSQL stores makeStore gives (withoutPasswordInUrl), for a child process. */
const passwordFile = (): Record<string, string> => (process.env.PGPASSFILE === undefined ? {} : { PGPASSFILE: process.env.PGPASSFILE });

/** A fresh temporary directory, removed when the test run ends. */
export function tempDir(prefix = 'pops-test-'): string {
  return fs.mkdtempSync(path.join(RUN_DIR, prefix));
}

const templates = new Map<string, Promise<string>>();

/** The two stores every command works with (docs/store.md): the suites that must hold on both run once on each. */
export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

/**
 * A new store: empty, the demo data, or loaded with a dump. On SQLite a file
 * at a temporary path, on PostgreSQL a database of its own on the run's server
 * (its URL). Each distinct content is built once (init, import) and copied per
 * call (a file copy, or a database made from the template database).
 */
export async function makeStore(content: { demo?: boolean; dump?: unknown } = {}, backend: Backend = 'sqlite'): Promise<string> {
  const dump = content.dump === undefined ? undefined : JSON.stringify(content.dump);
  const key = crypto
    .createHash('sha256')
    .update(`${backend}\n${content.demo ? 'demo' : 'empty'}\n${dump ?? ''}`)
    .digest('hex');
  let template = templates.get(key);
  if (!template) {
    template = buildStore(content.demo ?? false, dump, backend);
    templates.set(key, template);
  }
  return backend === 'sqlite' ? copyStore(await template) : withoutPasswordInUrl(pgDatabase(await template));
}

async function buildStore(demo: boolean, dump: string | undefined, backend: Backend): Promise<string> {
  const db = backend === 'sqlite' ? path.join(tempDir('pops-template-'), 'pops.db') : pgDatabase();
  const init = await pops(['--db', db, 'init', ...(demo ? ['--demo'] : [])]);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  if (dump !== undefined) {
    const result = await pops(['--db', db, 'import', '-'], { input: dump });
    if (result.code !== 0) throw new Error(`import failed: ${result.stderr}`);
  }
  return db;
}

/** A copy of a closed store (with its WAL, if SQLite left one) in a fresh directory. */
export function copyStore(source: string): string {
  const target = path.join(tempDir(), 'pops.db');
  fs.copyFileSync(source, target);
  if (fs.existsSync(`${source}-wal`)) fs.copyFileSync(`${source}-wal`, `${target}-wal`);
  return target;
}

/**
 * SHA-256 of the store file and its WAL: equal digests mean a byte-for-byte
 * unchanged store. Of a PostgreSQL store, every row of every table and where
 * each sequence stands.
 */
export function storeDigest(db: string): string {
  if (db.startsWith('postgres')) return crypto.createHash('sha256').update(pgContents(db)).digest('hex');
  const hash = crypto.createHash('sha256');
  for (const file of [db, `${db}-wal`]) {
    hash.update(file.endsWith('-wal') ? 'wal:' : 'db:');
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * Run one statement (`?` parameters) on a store as another program would:
 * a store file (foreign keys on), or a PostgreSQL store.
 */
export function storeSql(db: string, statement: string, ...params: unknown[]): void {
  if (db.startsWith('postgres')) {
    let n = 0;
    withKeptConnection(db, (handle) =>
      handle.run(
        statement.replace(/\?/g, () => `$${(n += 1)}`),
        params,
      ),
    );
    return;
  }
  const handle = new Database(db);
  try {
    handle.pragma('foreign_keys = ON');
    handle.prepare(statement).run(...params);
  } finally {
    handle.close();
  }
}

/** The rows of one query (no parameters) on a store file or a PostgreSQL store, as objects by column name. */
export function storeRows(db: string, query: string): Record<string, unknown>[] {
  if (db.startsWith('postgres')) return withKeptConnection(db, (handle) => handle.rows(query));
  const handle = new Database(db, { readonly: true });
  try {
    return handle.prepare(query).all() as Record<string, unknown>[];
  } finally {
    handle.close();
  }
}

export function demoDump(): any {
  return JSON.parse(fs.readFileSync(DEMO_FIXTURE, 'utf8'));
}
