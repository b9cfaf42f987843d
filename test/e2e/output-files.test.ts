// The files pops writes (docs/formats.md, "Output files"): `export --out` and
// snapshot pages. A regular file is replaced atomically and left 0600; a
// symbolic link is followed; a FIFO, a device or /dev/stdout is written into,
// never replaced; a folder or an empty path is exit 2 in plain words, and no
// temporary file is ever left behind.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStore, pops, popsBinary, storeDigest, tempDir } from '../helpers/cli.js';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;
/** Everything in a folder, sorted (temporary files start with a dot: they would show). */
const listing = (dir: string): string[] => fs.readdirSync(dir).sort();

/** The words a plain message never holds: system call and error names, temporary file names. */
function expectPlain(stderr: string): void {
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(stderr).not.toMatch(/\bE[A-Z]{3,}\b|open '|rename|\.tmp|illegal operation|at .*\.(ts|js|cjs):/);
}

/** Start `cat <fifo> > <file>` in the background: the FIFO's reader, outside this process. */
function readFifo(fifo: string, into: string): Promise<number | null> {
  const child = spawn('sh', ['-c', 'cat "$0" > "$1"', fifo, into], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', resolve));
}

function mkfifo(file: string): void {
  const made = spawnSync('mkfifo', ['-m', '600', file]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

describe('export --out', () => {
  let db: string;
  let dump: string;
  beforeAll(async () => {
    db = await makeStore({ demo: true });
    dump = (await pops(['--db', db, 'export'])).stdout;
  });

  it('writes a new file 0600 and nothing else in its folder', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'backup.json');
    const result = await pops(['--db', db, 'export', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(dump);
    expect(mode(out)).toBe(0o600);
    expect(listing(dir)).toEqual(['backup.json']);
  });

  it('replaces an existing 0644 file with a 0600 one', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'backup.json');
    fs.writeFileSync(out, 'old backup', { mode: 0o644 });
    fs.chmodSync(out, 0o644);
    expect((await pops(['--db', db, 'export', '--out', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(dump);
    expect(mode(out)).toBe(0o600);
    expect(listing(dir)).toEqual(['backup.json']);
  });

  it('follows a symbolic link: the link stays, its target gets the dump (0600)', async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    const target = path.join(elsewhere, 'real.json');
    fs.writeFileSync(target, 'old', { mode: 0o644 });
    fs.chmodSync(target, 0o644);
    const link = path.join(dir, 'latest.json');
    fs.symlinkSync(target, link);
    // A chain of links, one of them relative.
    const second = path.join(dir, 'current.json');
    fs.symlinkSync('latest.json', second);

    expect((await pops(['--db', db, 'export', '--out', second])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(second).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe(dump);
    expect(mode(target)).toBe(0o600);
    expect(listing(dir)).toEqual(['current.json', 'latest.json']);
    expect(listing(elsewhere)).toEqual(['real.json']);
  });

  it('a dangling symbolic link: its target is created', async () => {
    const dir = tempDir();
    const link = path.join(dir, 'latest.json');
    fs.symlinkSync('backups-2026.json', link);
    expect((await pops(['--db', db, 'export', '--out', link])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'backups-2026.json'), 'utf8')).toBe(dump);
    expect(listing(dir)).toEqual(['backups-2026.json', 'latest.json']);
  });

  it('writes into a FIFO and leaves it a FIFO', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'dump.fifo');
    mkfifo(fifo);
    const received = path.join(tempDir(), 'received.json');
    const reader = readFifo(fifo, received);
    const result = await pops(['--db', db, 'export', '--out', fifo]);
    expect(result.code, result.stderr).toBe(0);
    expect(await reader).toBe(0);
    expect(fs.readFileSync(received, 'utf8')).toBe(dump);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(listing(dir)).toEqual(['dump.fifo']);
  });

  // The machine's own /dev/null, /dev/full and /dev/stdout are never the
  // target: a regression would replace them for every process (these tests
  // run as root). Private twins made with mknod (the same devices, 1:3 and
  // 1:7) and a private link to /proc/self/fd/1 take the same code paths.
  it('writes into a character device without replacing it (a twin of /dev/null)', async () => {
    const device = privateDevice('null', 3);
    const result = await pops(['--db', db, 'export', '--out', device]);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('a device that cannot take it (a twin of /dev/full) is exit 2 in plain words', async () => {
    const device = privateDevice('full', 7);
    const result = await pops(['--db', db, 'export', '--out', device]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${device}: no space left on the disk\n`);
    expect(fs.lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('a link to stdout (as /dev/stdout is) and /dev/fd/1 of a real process: the dump on stdout, the link left alone', () => {
    const stdoutLink = path.join(tempDir(), 'stdout');
    fs.symlinkSync('/proc/self/fd/1', stdoutLink);
    for (const out of [stdoutLink, '/dev/fd/1']) {
      const result = popsBinary(['--db', db, 'export', '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(dump);
    }
    expect(fs.lstatSync(stdoutLink).isSymbolicLink()).toBe(true);
  });

  it('a shell process substitution, >(…)', () => {
    const received = path.join(tempDir(), 'received.json');
    const script = `"$0" "$1" --db "$2" export --out >(cat > "$3"); status=$?; wait; exit $status`;
    const result = spawnSync('bash', ['-c', script, process.execPath, path.resolve('bin/pops.js'), db, received], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', POPS_ACTOR: 'tester' },
    });
    expect(result.status, result.stderr).toBe(0);
    // `wait` does not wait for a process substitution in every bash: give cat a moment.
    for (let i = 0; i < 100 && fs.readFileSync(received, 'utf8') !== dump; i += 1) spawnSync('sleep', ['0.05']);
    expect(fs.readFileSync(received, 'utf8')).toBe(dump);
  });

  it('a folder is exit 2 with a plain message, and nothing is left in it or beside it', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'backups');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'keep');
    const before = storeDigest(db);
    for (const out of [dir, `${dir}/`]) {
      const result = await pops(['--db', db, 'export', '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: cannot write .*backups\/?: it (is|names) a folder\n$/);
      expectPlain(result.stderr);
    }
    expect(listing(dir)).toEqual(['keep.txt']);
    expect(listing(parent)).toEqual(['backups']);
    expect(storeDigest(db)).toBe(before);
  });

  it('a symbolic link to a folder is refused like the folder', async () => {
    const dir = tempDir();
    fs.symlinkSync(tempDir(), path.join(dir, 'link'));
    const result = await pops(['--db', db, 'export', '--out', path.join(dir, 'link')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${path.join(dir, 'link')}: it is a folder\n`);
  });

  it('an empty path is exit 2 with a plain message', async () => {
    const result = await pops(['--db', db, 'export', '--out', '']);
    expect(result.code).toBe(2);
    expectPlain(result.stderr);
    expect(result.stderr).toContain('empty');
  });

  it('a folder that does not exist is exit 2, said plainly', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'no-such-folder', 'backup.json');
    const result = await pops(['--db', db, 'export', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${out}: its folder does not exist\n`);
    expect(listing(dir)).toEqual([]);
  });

  it('never replaces the store itself, or its -wal file, even through a link', async () => {
    const own = await makeStore({ demo: true });
    const before = storeDigest(own);
    const link = path.join(tempDir(), 'innocent.json');
    fs.symlinkSync(own, link);
    for (const out of [own, `${own}-wal`, link]) {
      const result = await pops(['--db', own, 'export', '--out', out]);
      expect(result.code, out).toBe(2);
      expect(result.stderr).toBe(`pops: cannot write ${out}: it is the store itself\n`);
    }
    expect(storeDigest(own)).toBe(before);
    expect(listing(path.dirname(own))).toEqual(['pops.db']);
  });
});

describe('snapshot files (preview --all --out)', () => {
  let db: string;
  beforeAll(async () => {
    db = await makeStore({ demo: true });
  });

  it('a link to a folder that does not exist: exit 2 saying so, nothing made', async () => {
    const dir = tempDir();
    const link = path.join(dir, 'snapshots');
    fs.symlinkSync('nowhere', link);
    const result = await pops(['--db', db, 'preview', '--all', '--out', link]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${link}: it is a link to nowhere, which does not exist\n`);
    expect(fs.readdirSync(dir)).toEqual(['snapshots']);
  });

  it('a page that existed 0644 is 0600 afterwards', async () => {
    const dir = tempDir();
    const page = path.join(dir, 'lakeside-pediatrics', '10004.txt');
    fs.mkdirSync(path.dirname(page));
    fs.writeFileSync(page, 'old page', { mode: 0o644 });
    fs.chmodSync(page, 0o644);
    const result = await pops(['--db', db, 'preview', '--all', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(page)).toBe(0o600);
    expect(fs.readFileSync(page, 'utf8')).toBe((await pops(['--db', db, 'preview', '10004'])).stdout);
    for (const sub of listing(dir)) {
      for (const file of listing(path.join(dir, sub))) {
        expect(file, `${sub}/${file}`).toMatch(/^[^.].*\.txt$/);
        expect(mode(path.join(dir, sub, file)), `${sub}/${file}`).toBe(0o600);
      }
    }
  });

  it('a page that is a symbolic link: the link stays, its target is written', async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    const target = path.join(elsewhere, 'page-10004.txt');
    fs.writeFileSync(target, 'old page');
    fs.mkdirSync(path.join(dir, 'lakeside-pediatrics'));
    fs.symlinkSync(target, path.join(dir, 'lakeside-pediatrics', '10004.txt'));
    expect((await pops(['--db', db, 'preview', '--all', '--out', dir])).code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'lakeside-pediatrics', '10004.txt')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe((await pops(['--db', db, 'preview', '10004'])).stdout);
    expect(mode(target)).toBe(0o600);
    expect(listing(elsewhere)).toEqual(['page-10004.txt']);
  });

  it('a page that is a FIFO is written into, not replaced', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'lakeside-pediatrics'));
    const fifo = path.join(dir, 'lakeside-pediatrics', '10004.txt');
    mkfifo(fifo);
    const received = path.join(tempDir(), 'received.txt');
    const reader = readFifo(fifo, received);
    const result = await pops(['--db', db, 'preview', '--all', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(await reader).toBe(0);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.readFileSync(received, 'utf8')).toBe((await pops(['--db', db, 'preview', '10004'])).stdout);
  });

  it('--out naming a file, or nothing, is exit 2 in plain words', async () => {
    const file = path.join(tempDir(), 'snapshots.txt');
    fs.writeFileSync(file, 'not a folder');
    const result = await pops(['--db', db, 'preview', '--all', '--out', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${file}: it is not a folder\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
    const empty = await pops(['--db', db, 'preview', '--all', '--out', '']);
    expect(empty.code).toBe(2);
    expectPlain(empty.stderr);
  });

  it('a folder where a page goes is exit 2 in plain words (no system call, no temporary name)', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'lakeside-pediatrics', '10004.txt'), { recursive: true });
    const result = await pops(['--db', db, 'preview', '--all', '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${path.join(dir, 'lakeside-pediatrics', '10004.txt')}: it is a folder\n`);
  });
});

/** A character device of the memory driver (major 1) in a temporary folder: 3 is null, 7 is full. */
function privateDevice(name: string, minor: number): string {
  const device = path.join(tempDir(), name);
  const made = spawnSync('mknod', [device, 'c', '1', String(minor)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mknod ${device} failed (these tests need root): ${made.stderr}`);
  return device;
}
