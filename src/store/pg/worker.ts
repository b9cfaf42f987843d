// Entry file of a PostgreSQL connection's thread (built as dist/pg-worker.cjs;
// the calling side is connection.ts). It owns one node-postgres client, runs
// one request at a time, posts the reply on its port and wakes the caller,
// which waits in Atomics.wait (docs/store.md, "PostgreSQL").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { parse, toClientConfig } from 'pg-connection-string';
import { plainFault, secretsOf } from './faults.js';
import { STATE, WORKER_GONE, REPLIED, type ConnectionSetup, type Reply, type Request } from './protocol.js';

const { port, control, url, options } = workerThreads.workerData as ConnectionSetup;
const secrets = secretsOf(url);

// int8 (bigint cents, ids) as a number while it is safe, else as a BigInt; a date as its
// `YYYY-MM-DD` text, as the SQLite store keeps it; numeric stays a string.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) {
      return (value: string) => {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : BigInt(value);
      };
    }
    if (oid === 1082) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

// Rows cross threads as one JSON text when every column is of a type JSON keeps (numbers,
// texts, booleans, dates as texts): JSON.stringify and JSON.parse of many rows cost less than
// cloning them. Other rows are cloned.
const JSON_SAFE = new Set([16, 18, 19, 20, 21, 23, 25, 26, 114, 700, 701, 1042, 1043, 1082, 1700, 2950, 3802]);
const JSON_MIN_ROWS = 32;

function packRows(rows: unknown[], fields: { dataTypeID: number }[] | undefined): { rows?: unknown[]; json?: string } {
  if (rows.length < JSON_MIN_ROWS || fields === undefined || !fields.every((field) => JSON_SAFE.has(field.dataTypeID))) return { rows };
  try {
    return { json: JSON.stringify(rows) };
  } catch {
    return { rows }; // a BigInt (an int8 beyond 2^53)
  }
}

let client: (pg.Client & { lostWith?: unknown }) | undefined;
/** The sslmode the connection was made with (a cancel request is made the same way). */
let sslmode = 'disable';
let cursor: (Cursor & { fields?: { dataTypeID: number }[] }) | undefined;
/** The cursor's next batch, asked for before the caller asks (see `read`). */
let ahead: Promise<unknown[]> | undefined;

function reply(message: Reply): void {
  port.postMessage(message);
  Atomics.store(control, STATE, REPLIED);
  Atomics.notify(control, STATE);
}

// Whatever ends this thread, the caller must not wait until its deadline.
process.on('exit', () => {
  Atomics.store(control, STATE, WORKER_GONE);
  Atomics.notify(control, STATE);
});

/**
 * The connection's settings for one `sslmode` (docs/store.md, "PostgreSQL"):
 * read as libpq reads them (require: encrypted, certificate not checked;
 * verify-ca and verify-full: checked against sslrootcert, else
 * ~/.postgresql/root.crt), not as node-postgres reads them. The user is the
 * system's when the URL and PGUSER name none, as psql does.
 */
function clientConfig(sslmode: string): pg.ClientConfig {
  const address = new URL(url);
  address.searchParams.set('sslmode', sslmode);
  const rootCert = path.join(os.homedir(), '.postgresql', 'root.crt');
  if (sslmode.startsWith('verify-') && !address.searchParams.has('sslrootcert') && fs.existsSync(rootCert)) address.searchParams.set('sslrootcert', rootCert);
  const config = toClientConfig(parse(address.href, { useLibpqCompat: true })) as pg.ClientConfig;
  return {
    ...config,
    user: config.user || process.env.PGUSER || systemUser(),
    host: config.host || process.env.PGHOST || localServer(Number(config.port || process.env.PGPORT || 5432)),
    types,
    connectionTimeoutMillis: options.connectTimeoutMs,
    keepAlive: true,
    lock_timeout: options.lockTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionMs,
    application_name: 'pops',
    // The server notices a client that went away (a killed pops) even mid-statement, and rolls back;
    // the URL's own `options` (a search_path, say) are kept.
    options: [config.options, '-c client_connection_check_interval=1000'].filter(Boolean).join(' '),
  };
}

/**
 * A URL without a host (`postgres:///pops`), and no PGHOST: the server on this
 * machine, through its Unix socket where one is (Debian's folder, then /tmp), as
 * libpq finds it; else localhost over TCP.
 */
function localServer(port: number): string {
  for (const folder of ['/var/run/postgresql', '/tmp']) if (fs.existsSync(path.join(folder, `.s.PGSQL.${port}`))) return folder;
  return 'localhost';
}

function systemUser(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

/** The sslmode asked for (the URL's, else PGSSLMODE, else prefer, as libpq): the first one tried, and whether to try without TLS after it. */
function sslModes(): { first: string; fallback: boolean } {
  const asked = new URL(url).searchParams.get('sslmode') ?? process.env.PGSSLMODE ?? 'prefer';
  // prefer and allow: encrypted when the server offers it (allow too: pops never chooses plain text first).
  if (asked === 'prefer' || asked === 'allow') return { first: 'require', fallback: true };
  return { first: asked, fallback: false };
}

/**
 * `work`, or the connection's loss, whichever comes first: a cursor's read does
 * not end by itself when the connection goes. (The listeners go with the read:
 * one promise kept for the connection's life would keep every read's rows.)
 */
function unlessLost<T>(work: Promise<T>): Promise<T> {
  const open = client;
  if (open === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const lost = (error?: unknown) => reject(error ?? Object.assign(new Error('Connection terminated unexpectedly'), { code: 'CONNECTION_LOST' }));
    const ended = () => lost();
    open.once('error', lost);
    open.once('end', ended);
    work.then(resolve, reject).finally(() => {
      open.off('error', lost);
      open.off('end', ended);
    });
  });
}

async function connected(sslmode: string): Promise<pg.Client & { lostWith?: unknown }> {
  const opened: pg.Client & { lostWith?: unknown } = new pg.Client(clientConfig(sslmode));
  // An error on an idle connection (a server restart) is emitted, not thrown; the next request reports it.
  opened.on('error', (error) => (opened.lostWith = error));
  await opened.connect();
  return opened;
}

const handlers: Record<Request['op'], (request: Request) => Promise<Record<string, unknown>>> = {
  async connect() {
    const { first, fallback } = sslModes();
    try {
      client = await connected((sslmode = first));
    } catch (error) {
      if (!fallback || !/does not support SSL/i.test((error as Error).message)) throw error;
      client = await connected((sslmode = 'disable'));
    }
    const version = await client.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
    return { serverVersion: version.rows[0].v };
  },
  async query(request) {
    const { sql, params, rowMode } = request as Extract<Request, { op: 'query' }>;
    const config = rowMode === 'array' ? { text: sql, values: params, rowMode, types } : { text: sql, values: params, types };
    const result = (await client!.query(config as pg.QueryConfig)) as pg.QueryResult;
    return { ...packRows(result.rows, result.fields), rowCount: result.rowCount ?? 0, command: result.command };
  },
  async exec(request) {
    // The simple query protocol: several statements, no parameters (migrations).
    await client!.query((request as Extract<Request, { op: 'exec' }>).sql);
    return {};
  },
  async commit() {
    const result = await client!.query('COMMIT');
    // COMMIT of a failed transaction "succeeds" as a ROLLBACK: report it as the failure it is.
    if (result.command === 'ROLLBACK') throw Object.assign(new Error('the transaction failed and was rolled back'), { code: '25P02' });
    return {};
  },
  async openCursor(request) {
    const { sql, params } = request as Extract<Request, { op: 'openCursor' }>;
    cursor = client!.query(new Cursor(sql, params, { rowMode: 'array', types }));
    ahead = undefined;
    return {};
  },
  async read(request) {
    const { count } = request as Extract<Request, { op: 'read' }>;
    const rows = await unlessLost(ahead ?? cursor!.read(count));
    ahead = undefined;
    // The next batch is read while the caller works on this one (docs/store.md, "PostgreSQL": one
    // synchronous connection): the server's and this thread's work overlap the caller's.
    if (rows.length === count) {
      ahead = cursor!.read(count);
      // Its failure is reported by the read that asks for it.
      ahead.catch(() => {});
    }
    return packRows(rows, (cursor as unknown as { _result?: { fields: { dataTypeID: number }[] } })._result?.fields);
  },
  async closeCursor() {
    const open = cursor;
    const reading = ahead;
    cursor = undefined;
    ahead = undefined;
    if (reading) await unlessLost(reading).catch(() => {});
    if (open) await unlessLost(open.close());
    return {};
  },
  async close() {
    const open = client;
    client = undefined;
    if (open) await open.end();
    return {};
  },
};

// Asked by the caller after its deadline: the server cancels the running statement (as psql's
// Ctrl-C does, on a connection of its own); the request then fails with 57014 and replies as usual.
function cancelRunning(): void {
  if (client === undefined) return;
  const canceller = new pg.Client(clientConfig(sslmode)) as pg.Client & { cancel(client: pg.Client, query: unknown): void };
  canceller.on('error', () => {});
  canceller.cancel(client, (client as unknown as { activeQuery?: unknown }).activeQuery);
}

port.on('message', async (request: Request | { op: 'cancel' }) => {
  if (request.op === 'cancel') return cancelRunning();
  try {
    if (request.op !== 'connect' && request.op !== 'close' && client?.lostWith !== undefined) throw client.lostWith;
    reply({ id: request.id, ok: true, result: await handlers[request.op](request) });
  } catch (error) {
    if (request.op === 'openCursor' || request.op === 'read') {
      cursor = undefined;
      ahead = undefined;
    }
    const fault = plainFault(error, secrets);
    // Logged in, then lost in the connect request's own first query: a broken connection, not one that could not be opened.
    if (request.op === 'connect' && client !== undefined) fault.opened = true;
    reply({ id: request.id, ok: false, fault });
  }
  if (request.op === 'close') port.close();
});
