// A synchronous connection to PostgreSQL, so that the store code above it
// stays as synchronous as better-sqlite3 (docs/store.md, "PostgreSQL").
// node-postgres runs in a thread of its own (worker.ts, built as
// dist/pg-worker.cjs); each call posts a request, waits in Atomics.wait and
// takes the reply with receiveMessageOnPort. One connection, one request at
// a time. A call without a reply in time is cancelled on the server; one
// whose cancel gets no reply either abandons the connection.
import fs from 'node:fs';
import url from 'node:url';
import { StoreError } from '../../base/errors.js';
import { lazyModule } from '../../base/lazy.js';
import { packageFile } from '../../base/paths.js';
import { withoutPassword } from '../../base/secrets.js';
import { sleep } from '../../base/sleep.js';
import { connectFault, PgFault, scrub, secretsOf, storeFault, type PlainFault } from './faults.js';
import { STATE, WAITING, WORKER_GONE, type ConnectionOptions, type Reply, type Request } from './protocol.js';

// Loaded when a PostgreSQL store is opened (start-up, docs/performance.md).
const workerThreads = lazyModule<typeof import('node:worker_threads')>('node:worker_threads');

export interface OpenPgOptions extends Partial<ConnectionOptions> {
  /** Longest wait for one reply before the statement is cancelled on the server. */
  timeoutMs?: number;
  /** After a cancel, longest wait before the connection is given up. */
  cancelGraceMs?: number;
}

const DEFAULTS = { connectTimeoutMs: 10_000, lockTimeoutMs: 5_000, idleInTransactionMs: 60_000, timeoutMs: 60_000, cancelGraceMs: 2_000 };

type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Rows = { rows?: unknown[]; json?: string };

const rowsOf = (result: Rows): unknown[] => (result.json !== undefined ? (JSON.parse(result.json) as unknown[]) : result.rows!);

/** The database of a `postgres://` URL, connected (exit 4 with one line if it cannot be). */
export function openPostgres(address: string, options: OpenPgOptions = {}): PgConnection {
  return new PgConnection(address, { ...DEFAULTS, ...options });
}

export class PgConnection {
  /** The URL without its password, for messages. */
  readonly shown: string;
  readonly serverVersion: number;
  private readonly worker: import('node:worker_threads').Worker;
  private readonly port: import('node:worker_threads').MessagePort;
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly secrets: string[];
  private next = 0;
  private dead?: Error;
  private cursorOpen = false;

  constructor(
    address: string,
    private readonly options: typeof DEFAULTS,
  ) {
    this.shown = withoutPassword(address);
    this.secrets = secretsOf(address);
    const { MessageChannel, Worker } = workerThreads();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const { connectTimeoutMs, lockTimeoutMs, idleInTransactionMs } = options;
    this.worker = new Worker(workerFile(), {
      workerData: { port: port2, control: this.control, url: address, options: { connectTimeoutMs, lockTimeoutMs, idleInTransactionMs } },
      transferList: [port2],
      // The thread prints nothing; piping its output would touch this thread's stdout (making a piped
      // stdout non-blocking) and needs an event loop that is blocked while it waits anyway.
      stdout: true,
      stderr: true,
    });
    // An open connection never keeps pops running; a thread that died is reported by the call that waited for it.
    this.worker.unref();
    this.worker.on('error', () => {});
    const connected = this.call({ op: 'connect' }, connectTimeoutMs + options.timeoutMs);
    this.serverVersion = connected.serverVersion as number;
  }

  /** The rows of one statement, as objects by column name. `$1`, `$2`, ... are the parameters. */
  rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): T[] {
    this.idle('run a statement');
    return rowsOf(this.call({ op: 'query', sql, params }) as Rows) as T[];
  }

  /** The rows of one statement, each an array of its columns in order. */
  arrays<T extends unknown[] = unknown[]>(sql: string, params: unknown[] = []): T[] {
    this.idle('run a statement');
    return rowsOf(this.call({ op: 'query', sql, params, rowMode: 'array' }) as Rows) as T[];
  }

  /** Run one statement; how many rows it changed. */
  run(sql: string, params: unknown[] = []): number {
    this.idle('run a statement');
    return this.call({ op: 'query', sql, params }).rowCount as number;
  }

  /** Run statements without parameters, one after the other (a migration). */
  exec(sql: string): void {
    this.idle('run statements');
    this.call({ op: 'exec', sql });
  }

  /**
   * `work` in one transaction, committed when it returns, rolled back when it
   * throws. A serialization failure or deadlock runs it again (up to
   * `retries` times, after a short random wait).
   */
  transaction<T>(work: () => T, options: TransactionOptions = {}): T {
    const retries = options.retries ?? 5;
    for (let attempt = 0; ; attempt += 1) {
      this.begin(options);
      try {
        const result = work();
        this.commit();
        return result;
      } catch (error) {
        this.rollback();
        if (!(error instanceof PgFault) || error.kind !== 'retry' || attempt >= retries) throw error;
        sleep(10 * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  }

  /** Begin a transaction (and take its advisory lock), for work that cannot be one call of `transaction` (it awaits). */
  begin({ isolation = 'READ COMMITTED', readOnly = false, lock }: TransactionOptions = {}): void {
    this.run(`BEGIN ISOLATION LEVEL ${isolation}${readOnly ? ' READ ONLY' : ''}`);
    try {
      if (lock !== undefined) this.run('SELECT pg_advisory_xact_lock($1)', [lock]);
    } catch (error) {
      this.rollback();
      throw error;
    }
  }

  commit(): void {
    this.call({ op: 'commit' });
  }

  /** Roll back the open transaction, if the connection still works (a failure of its own is not the one to report). */
  rollback(): void {
    if (this.dead !== undefined) return;
    try {
      this.run('ROLLBACK');
    } catch {
      // the first failure is the one to report
    }
  }

  /** The rows of a query read `batch` at a time through a server-side cursor (memory stays flat), as arrays. */
  *cursor<T extends unknown[] = unknown[]>(sql: string, params: unknown[] = [], batch = 1000): Generator<T> {
    this.idle('open a cursor');
    this.call({ op: 'openCursor', sql, params });
    this.cursorOpen = true;
    try {
      for (;;) {
        const rows = rowsOf(this.call({ op: 'read', count: batch }) as Rows) as T[];
        if (rows.length === 0) return;
        yield* rows;
      }
    } finally {
      this.cursorOpen = false;
      if (this.dead === undefined) this.call({ op: 'closeCursor' });
    }
  }

  close(): void {
    if (this.dead !== undefined) return;
    try {
      this.call({ op: 'close' }, 5_000);
    } catch {
      // closing anyway
    }
    this.dead = new StoreError(`the connection to the PostgreSQL store ${this.shown} is closed`);
    void this.worker.terminate();
    this.port.close();
  }

  private idle(what: string): void {
    if (this.cursorOpen) throw new Error(`cannot ${what} while a cursor is open on the connection`);
  }

  /** Post `request` and wait for its reply. Past `timeoutMs` the statement is cancelled; past the grace after that, the connection is given up. */
  private call(request: RequestBody, timeoutMs = this.options.timeoutMs): Record<string, unknown> {
    if (this.dead !== undefined) throw this.dead;
    const id = (this.next += 1);
    Atomics.store(this.control, STATE, WAITING);
    this.port.postMessage({ ...request, id });
    let cancelled = request.op === 'connect' || request.op === 'close';
    let deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) {
        if (!cancelled) {
          cancelled = true;
          this.port.postMessage({ op: 'cancel' });
          deadline = performance.now() + this.options.cancelGraceMs;
          continue;
        }
        throw this.giveUp({ message: `no reply within ${seconds(timeoutMs)}`, code: 'TIMEOUT', kind: 'timeout' });
      }
      Atomics.wait(this.control, STATE, WAITING, left);
      // Only the value counts, not the wake-up: a late notify for an earlier reply can wake this wait early.
      if (Atomics.load(this.control, STATE) !== WAITING) break;
    }
    const received = workerThreads().receiveMessageOnPort(this.port);
    if (received === undefined) {
      const state = Atomics.load(this.control, STATE);
      throw this.giveUp({ message: state === WORKER_GONE ? 'the connection thread stopped' : 'no reply', code: 'CONNECTION_LOST', kind: 'connection-lost' });
    }
    const reply = received.message as Reply;
    if (reply.id !== id) throw this.giveUp({ message: `reply ${reply.id} to request ${id}`, kind: 'bridge' });
    if (reply.ok) return reply.result;
    // Connecting is until the login is done. After it, a network failure (a reset, or a write to a
    // closed socket: ECONNRESET, EPIPE) is the connection lost mid-command, not a server that
    // cannot be reached.
    const connecting = request.op === 'connect' && reply.fault.opened !== true;
    const plain: PlainFault = !connecting && reply.fault.kind === 'connect' ? { ...reply.fault, kind: 'connection-lost' } : reply.fault;
    const fault = new PgFault(plain);
    // A fault at connecting, or a broken connection, ends the connection.
    if (connecting || fault.kind === 'connection-lost') throw this.giveUp(plain, connecting);
    if (cancelled && fault.kind === 'timeout') throw storeFault(new PgFault({ ...reply.fault, message: `no result within ${seconds(timeoutMs)}` }), this.shown);
    // A retry stays a PgFault, for transaction() to see.
    throw storeFault(fault, this.shown);
  }

  /** End the connection: every later call fails with the same error. */
  private giveUp(plain: PlainFault, connecting = false): Error {
    const fault = new PgFault({ ...plain, message: scrub(plain.message, this.secrets) });
    this.dead = connecting ? connectFault(fault, this.shown) : storeFault(fault, this.shown);
    void this.worker.terminate();
    return this.dead;
  }
}

export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  isolation?: Isolation;
  readOnly?: boolean;
  /** An advisory lock taken first and held to the end: transactions that take the same one run one at a time. */
  lock?: number;
  /** How many times a serialization failure or deadlock runs the work again. */
  retries?: number;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

let workerFileFound: string | undefined;
/** dist/pg-worker.cjs, which the build makes (exit 4 when it is missing: a broken installation). */
function workerFile(): string {
  if (workerFileFound === undefined) {
    const file = url.fileURLToPath(packageFile('dist/pg-worker.cjs'));
    if (!fs.existsSync(file)) {
      throw new StoreError(`PostgreSQL support is missing from this installation: ${file} not found`, 'Reinstall pops-admin (npm ci, then npm run build).');
    }
    workerFileFound = file;
  }
  return workerFileFound;
}
