// What a PostgreSQL connection's two threads say to each other (connection.ts
// calls, worker.ts answers): one request at a time, each answered once.
import type { MessagePort } from 'node:worker_threads';
import type { PlainFault } from './faults.js';

/** The slot of the shared Int32Array the caller waits on, and its values. */
export const STATE = 0;
export const WAITING = 0;
export const REPLIED = 1;
/** The connection's thread has ended (it sets this on its way out, whatever ended it). */
export const WORKER_GONE = 2;

export interface ConnectionOptions {
  /** Connecting, logging in and TLS together. */
  connectTimeoutMs: number;
  /** A lock not granted in this time fails the statement (`store is busy`). */
  lockTimeoutMs: number;
  /** The server ends a session left idle inside a transaction this long. */
  idleInTransactionMs: number;
}

export interface ConnectionSetup {
  port: MessagePort;
  control: Int32Array;
  url: string;
  options: ConnectionOptions;
}

export type Request = { id: number } & (
  | { op: 'connect' }
  | { op: 'query'; sql: string; params: unknown[]; rowMode?: 'array' }
  | { op: 'exec'; sql: string }
  | { op: 'commit' }
  | { op: 'openCursor'; sql: string; params: unknown[] }
  | { op: 'read'; count: number }
  | { op: 'closeCursor' }
  | { op: 'close' }
);

export type Reply = { id: number; ok: true; result: Record<string, unknown> } | { id: number; ok: false; fault: PlainFault };
