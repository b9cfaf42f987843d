// What can go wrong talking to PostgreSQL, as plain values that cross
// threads (the connection runs in a thread of its own, connection.ts), and
// as the one line a user reads (docs/store.md, "PostgreSQL"). A password
// never reaches a message: every text is scrubbed of every spelling of the
// URL's password, and URLs are shown without it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreError } from '../../base/errors.js';
import { withoutPassword } from '../../base/secrets.js';

/** What kind of failure a code is: how pops reports it. */
export type FaultKind =
  | 'connect' // the server cannot be reached
  | 'auth' // the server refused the user or password, or there was no password to give
  | 'privilege' // the user may not do what the command needs
  | 'no-database' // the database does not exist
  | 'tls' // encryption required, or not available
  | 'retry' // a serialization failure or deadlock: the transaction may be run again
  | 'lock-timeout' // a row or table lock was not granted in time
  | 'timeout' // no reply in time
  | 'connection-lost' // the connection broke mid-command
  | 'sql' // the statement failed (a constraint, a bug)
  | 'bridge'; // the connection's thread itself

/** A failure as it crosses from the connection's thread: a message and what is known of it. */
export interface PlainFault {
  message: string;
  /** SQLSTATE (`28P01`) or Node's code (`ECONNREFUSED`), when there is one. */
  code?: string;
  kind: FaultKind;
  detail?: string;
  constraint?: string;
  /** The connection was open, the login done, when the fault came (in the connect request's own first query). */
  opened?: boolean;
}

/** A failed PostgreSQL call. */
export class PgFault extends Error {
  readonly code?: string;
  readonly kind: FaultKind;
  readonly detail?: string;
  readonly constraint?: string;

  constructor(plain: PlainFault) {
    super(plain.message);
    this.name = 'PgFault';
    this.code = plain.code;
    this.kind = plain.kind;
    this.detail = plain.detail;
    this.constraint = plain.constraint;
  }
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'CONNECT_TIMEOUT']);
// node-postgres's own errors that carry no code.
const PG_MESSAGES: [RegExp, string][] = [
  [/does not support SSL/i, 'SSL_UNSUPPORTED'],
  // The answer to its request for TLS was neither yes nor no: whatever listens there is no PostgreSQL server.
  [/error establishing an SSL connection/i, 'NOT_POSTGRES'],
  [/client password must be a string|no password (was )?(supplied|provided)/i, 'NO_PASSWORD'],
  [/sslrootcert|SECURITY WARNING/i, 'SSL_CONFIG'],
  [/connection timeout|timeout expired/i, 'CONNECT_TIMEOUT'],
  [/Connection terminated|not queryable/i, 'CONNECTION_LOST'],
];

export function kindOf(code: string | undefined): FaultKind {
  if (code === undefined) return 'sql';
  if (CONNECT_CODES.has(code) || code === '57P03' || code === 'NOT_POSTGRES') return 'connect';
  if (code === '28P01' || code === 'NO_PASSWORD') return 'auth';
  if (code === '42501') return 'privilege';
  if (code === '3D000') return 'no-database';
  if (code === 'SSL_UNSUPPORTED' || code === 'SSL_CONFIG' || /CERT|SSL|TLS|SELF_SIGNED|ALTNAME|VERIFY|ISSUER/.test(code)) return 'tls';
  if (code === '40001' || code === '40P01') return 'retry';
  if (code === '55P03') return 'lock-timeout';
  if (code === 'TIMEOUT' || code === '57014') return 'timeout';
  if (code.startsWith('57P') || code.startsWith('08') || code === 'CONNECTION_LOST') return 'connection-lost';
  if (SQLSTATE.test(code)) return 'sql';
  return 'bridge';
}

/** Every spelling of the URL's password a message could hold (as written, and percent-decoded), longest first. */
export function secretsOf(url: string): string[] {
  const found = new Set<string>();
  // A password of one to three characters is not looked for: it would be cut out of every word that holds it.
  const add = (text: string | undefined) => {
    if (text === undefined || text.length < 4) return;
    found.add(text);
    try {
      const decoded = decodeURIComponent(text);
      if (decoded.length >= 4) found.add(decoded);
    } catch {
      // a malformed escape: the text as written is enough
    }
  };
  add(/\/\/[^/?#:@\s]*:(\S*)@/.exec(url)?.[1]);
  add(/[?&]password=([^&\s]*)/i.exec(url)?.[1]);
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `***` and URLs shown without their password. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return withoutPassword(out);
}

/** Any error from node-postgres or the network as a PlainFault, scrubbed of `secrets`. */
export function plainFault(error: unknown, secrets: readonly string[]): PlainFault {
  const e = (error ?? {}) as { message?: string; code?: unknown; severity?: unknown; errors?: { message: string }[]; detail?: string; constraint?: string };
  // Node's connect to `localhost` tries ::1 and 127.0.0.1 and fails with an AggregateError whose message is empty.
  let message = e.message ?? String(error);
  if (message === '' && Array.isArray(e.errors)) message = e.errors.map((inner) => inner.message).join('; ');
  if (Array.isArray(e.errors) && e.code === undefined) e.code = (e.errors[0] as { code?: unknown } | undefined)?.code;
  let code = typeof e.code === 'string' ? e.code : undefined;
  if (code === undefined) code = PG_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
  // 28000: no pg_hba.conf line lets this login in; without encryption, that is a server that requires TLS.
  const kind = code === '28000' ? (/no encryption/i.test(message) ? 'tls' : 'auth') : kindOf(code);
  return {
    message: scrub(message, secrets),
    code,
    kind,
    detail: e.detail === undefined ? undefined : scrub(e.detail, secrets),
    constraint: e.constraint,
  };
}

/**
 * A fault that means the store cannot be used, as the one line pops prints
 * (exit 4), naming `shown` (the URL without its password); anything else
 * as it is.
 */
export function storeFault(fault: PgFault, shown: string): Error {
  const where = `PostgreSQL store ${shown}`;
  switch (fault.kind) {
    case 'connect':
      return new StoreError(`cannot reach the ${where}: ${reachReason(fault)}`, 'Check the host and port, and that the server is running.');
    case 'auth':
      if (fault.code === 'NO_PASSWORD') {
        const open = passwordFileOpenToOthers();
        return new StoreError(
          `no password for the ${where}: none in the URL, PGPASSWORD or ~/.pgpass`,
          open === undefined
            ? 'Set PGPASSWORD, or add a line to ~/.pgpass (mode 0600).'
            : `${open.file} is ignored: others may read it (mode 0${open.mode.toString(8)}). Make it yours alone: chmod 600 ${open.file}`,
        );
      }
      return new StoreError(
        `the ${where} refused the login: ${fault.message}`,
        'Check the user name and the password (in PGPASSWORD or ~/.pgpass, or in the URL).',
      );
    case 'privilege':
      return new StoreError(
        `the ${where} refused: ${fault.message}`,
        "The user needs SELECT, INSERT, UPDATE and DELETE on pops's tables (docs/store.md, PostgreSQL).",
      );
    case 'no-database':
      return new StoreError(`the ${where} does not exist: ${fault.message}`, 'Create the database first (createdb), then run pops init with this --db.');
    case 'tls':
      return new StoreError(`cannot open the ${where}: ${fault.message}`, tlsHint(fault));
    case 'lock-timeout':
      return new StoreError('store is busy: another pops command is writing to it', 'Try again in a moment.');
    case 'timeout':
    case 'connection-lost':
      return new StoreError(
        `the ${where} stopped answering: ${fault.message}`,
        'Whatever this command was changing was not saved; check the server and run it again.',
      );
    default:
      return fault;
  }
}

function reachReason(fault: PgFault): string {
  if (fault.code === 'ECONNREFUSED') return 'connection refused';
  if (fault.code === 'ENOTFOUND' || fault.code === 'EAI_AGAIN') return 'unknown host';
  if (fault.code === 'CONNECT_TIMEOUT' || fault.code === 'ETIMEDOUT') return 'no answer in time';
  if (fault.code === '57P03') return 'the server is starting up or shutting down';
  if (fault.code === 'NOT_POSTGRES') return 'what answers there is not a PostgreSQL server';
  return fault.message;
}

function tlsHint(fault: PgFault): string {
  if (fault.code === 'SSL_UNSUPPORTED') return 'The server does not offer TLS: set sslmode=prefer (or disable) in the URL, or in PGSSLMODE.';
  if (fault.code === '28000') return 'The server requires TLS: set sslmode=require in the URL or PGSSLMODE (verify-full to check its certificate).';
  return "The server's certificate could not be checked: give its CA with sslrootcert=<file> (or ~/.postgresql/root.crt), or set sslmode=require to encrypt without checking it.";
}

/** A fault while connecting that says nothing more precise: the store cannot be opened (exit 4). */
export function connectFault(fault: PgFault, shown: string): Error {
  // The setting pops asks for at connecting (worker.ts) is unknown before PostgreSQL 14.
  if (fault.code === '42704' && fault.message.includes('client_connection_check_interval')) {
    return new StoreError(`the PostgreSQL server of ${shown} is older than PostgreSQL 14, which pops needs`, 'Upgrade the server, or use a store file.');
  }
  // Closed before the login without a word from PostgreSQL: a server that refuses at once, or
  // something else listening at that port. (A session the server itself ends while it logs in,
  // 57P01 and the like, is a PostgreSQL server that stopped answering: storeFault says so.)
  if (fault.kind === 'connection-lost' && !SQLSTATE.test(fault.code ?? '')) {
    return new StoreError(
      `cannot open the PostgreSQL store ${shown}: the connection was closed before the login (${fault.message})`,
      'Check the port: is it a PostgreSQL server that listens there?',
    );
  }
  const reported = storeFault(fault, shown);
  return reported instanceof StoreError ? reported : new StoreError(`cannot open the PostgreSQL store ${shown}: ${fault.message}`);
}

/** The password file libpq and pops read (PGPASSFILE, else ~/.pgpass) when others may read it: such a file is ignored. */
function passwordFileOpenToOthers(): { file: string; mode: number } | undefined {
  const file = process.env.PGPASSFILE || path.join(os.homedir(), '.pgpass');
  try {
    const mode = fs.statSync(file).mode & 0o777;
    return (mode & 0o077) === 0 ? undefined : { file, mode };
  } catch {
    return undefined;
  }
}
