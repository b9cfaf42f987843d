// Where the store is (docs/store.md, "Store locations"): a path is a SQLite
// store; a postgres:// URL names a PostgreSQL store (the e2e suites run on
// one too); any other URL, or a PostgreSQL URL that cannot be parsed, is
// exit 2. A URL's password never appears in what pops prints,
// debug traces included.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { popsBinary, tempDir } from '../helpers/cli.js';
import { withoutPassword } from '../../src/base/secrets.js';

/** Runs the real binary in a fresh empty folder: what it printed, and the folder's entries afterwards. */
function inEmptyFolder(args: string[], env: Record<string, string> = {}) {
  const dir = tempDir();
  const result = popsBinary(args, { cwd: dir, env });
  return { ...result, left: fs.readdirSync(dir) };
}

describe('store locations', () => {
  it('a postgres:// or postgresql:// URL of a server that cannot be reached: exit 4 from every command, one line naming the URL without its password, nothing created', () => {
    for (const url of ['postgres://ann:s3cret@db.example:5432/pops', 'postgresql://ann:s3cret@db.example/pops?sslmode=require']) {
      const shown = url.replace(':s3cret@', '@');
      for (const command of [['groups', 'list'], ['init'], ['accounts', 'list', '--all'], ['export', '--out', 'backup.json'], ['import', '-']]) {
        const result = inEmptyFolder(['--db', url, ...command]);
        expect(result.code, result.stderr).toBe(4);
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain(`pops: cannot reach the PostgreSQL store ${shown}: unknown host\n`);
        expect(result.stderr).not.toContain('s3cret');
        expect(result.left).toEqual([]);
      }
    }
  });

  it('POPS_DB as a URL is the same, and the debug trace leaves the password out too', () => {
    const result = inEmptyFolder(['groups', 'list'], { POPS_DB: 'postgres://ann:s3cret@db.example/pops', POPS_DEBUG: '1' });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('at '); // the trace is there
    expect(result.stderr).not.toContain('s3cret');
    expect(result.left).toEqual([]);
  });

  it('a URL of another scheme, or a PostgreSQL URL that cannot be parsed: exit 2, naming where it came from, without the password', () => {
    const other = inEmptyFolder(['--db', 'mysql://ann:s3cret@db.example/pops', 'groups', 'list']);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      'pops: --db: stores at "mysql:" URLs are not supported: mysql://ann@db.example/pops\nGive a store file (a path) or a postgres:// URL.\n',
    );
    for (const [url, said] of [
      ['postgres//ann:s3cret@db.example/pops', 'pops: --db: not a valid PostgreSQL URL: postgres//ann@db.example/pops\n'],
      ['postgres:/ann:s3cret@db.example/pops', 'pops: --db: not a valid PostgreSQL URL: postgres:/ann@db.example/pops\n'],
      ['postgres://ann:s3cret@db.example/', 'pops: --db: the PostgreSQL URL names no database: postgres://ann@db.example/\n'],
      ['postgres://ann:s3cret@db.example/pops?port=abc', 'pops: --db: port=abc is not a port number: postgres://ann@db.example/pops?port=abc\n'],
    ]) {
      const mistyped = inEmptyFolder(['--db', url, 'groups', 'list'], { POPS_DEBUG: '1' });
      expect(mistyped.code, url).toBe(2);
      expect(mistyped.stderr.startsWith(said), mistyped.stderr).toBe(true);
      expect(mistyped.stderr).not.toContain('s3cret');
      expect(mistyped.left).toEqual([]);
    }
    const broken = inEmptyFolder(['groups', 'list'], { POPS_DB: 'postgres://ann:s3cret@[db/pops' });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^pops: POPS_DB: not a valid PostgreSQL URL: postgres:\/\/ann@\[db\/pops\n/);
    expect(broken.left).toEqual([]);
  });

  it('a path that merely holds a colon is still a store file', () => {
    const result = inEmptyFolder(['--db', 'c:pops.db', 'init']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.left).toEqual(['c:pops.db']);
  });

  it('withoutPassword leaves out the password of every URL in a text, and only that', () => {
    expect(withoutPassword('at postgres://ann:pa:ss@h:5432/db and postgresql://bob:x@h2/db2?sslmode=require')).toBe(
      'at postgres://ann@h:5432/db and postgresql://bob@h2/db2?sslmode=require',
    );
    expect(withoutPassword('postgres://ann@h/db, /tmp/a:b@c, user:pw@host')).toBe('postgres://ann@h/db, /tmp/a:b@c, user:pw@host');
  });
});
