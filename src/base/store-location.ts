// Where the store is: `--db` (or POPS_DB) is a file path, the SQLite store,
// or a `postgres://` / `postgresql://` URL (docs/store.md "Store
// locations"). A URL's password is never shown: every message names the URL
// without it.
import { UsageError } from './errors.js';
import { withoutPassword } from './secrets.js';

/** A value that starts like a URL: a scheme, a colon and two slashes. */
const URL_LIKE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const POSTGRES_SCHEMES = new Set(['postgres', 'postgresql']);
/** libpq's sslmodes (docs/store.md, "PostgreSQL"). */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

const URL_FORM =
  'The form is postgres://user@host:5432/database (a Unix socket: postgres:///database?host=/run/postgresql); percent-encode # / ? @ in a password, or use PGPASSWORD.';

/** `value` without anything that could be a password: withoutPassword, and any `:…@` left after it. */
function withoutAnyPassword(value: string): string {
  return withoutPassword(value).replace(/:[^:@/]*@/g, '@');
}

export type StoreLocation = { kind: 'file'; path: string } | { kind: 'postgres'; url: URL; shown: string };

/**
 * What `value`, given by `where` (`--db` or `POPS_DB`), names. A URL of
 * another scheme, or a PostgreSQL URL that cannot be parsed, is exit 2.
 */
export function storeLocation(value: string, where: string): StoreLocation {
  const scheme = URL_LIKE.exec(value)?.[1];
  if (scheme === undefined) {
    // `postgres:/…`, `postgres:ann:secret@…` or `postgres//…`: a PostgreSQL URL mistyped, not a file name (whose message would show
    // the password). (`postgres/pops.db` stays a file in a folder named postgres.)
    if (/^postgres(ql)?(:|\/\/)/i.test(value)) {
      throw new UsageError(`${where}: not a valid PostgreSQL URL: ${withoutAnyPassword(value)}`, `It begins with postgres:// (two slashes). ${URL_FORM}`);
    }
    return { kind: 'file', path: value };
  }
  if (!POSTGRES_SCHEMES.has(scheme.toLowerCase())) {
    throw new UsageError(
      `${where}: stores at "${scheme}:" URLs are not supported: ${withoutPassword(value)}`,
      'Give a store file (a path) or a postgres:// URL.',
    );
  }
  // A blank cannot be in a URL; one typed in a password would be shown by the message below.
  if (/\s/.test(value)) {
    throw new UsageError(
      `${where}: not a valid PostgreSQL URL: it holds a space or another blank`,
      'Percent-encode it (%20 for a space), or put the password in PGPASSWORD or ~/.pgpass.',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where}: not a valid PostgreSQL URL: ${withoutAnyPassword(value)}`, URL_FORM);
  }
  // pops keeps its store in a database of its own: one must be named (else the server's default, often `postgres`, would be used).
  if ((url.pathname === '' || url.pathname === '/') && !url.searchParams.get('dbname') && !process.env.PGDATABASE) {
    throw new UsageError(
      `${where}: the PostgreSQL URL names no database: ${withoutPassword(value)}`,
      'Name the database pops keeps its store in: postgres://user@host:5432/pops (create it first with createdb).',
    );
  }
  const port = url.searchParams.get('port');
  if (port !== null && !/^\d{1,5}$/.test(port)) {
    throw new UsageError(`${where}: port=${port} is not a port number: ${withoutPassword(value)}`);
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    throw new UsageError(`${where}: sslmode=${sslmode} is not an sslmode (${SSL_MODES.join(', ')}): ${withoutPassword(value)}`);
  }
  return { kind: 'postgres', url, shown: withoutPassword(value) };
}
