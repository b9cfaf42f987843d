// A snapshot set (`preview --all --out/--check`) as one thing (docs/formats.md,
// "Preview snapshots"): it shows one committed state of the store, also when
// helper threads render it while someone writes; it is written all or nothing;
// `--out` always makes its folder; each group has a folder of its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, childEnv, copyStore, makeStore, pops, popsBinary, ROOT, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { snapshotPath } from '../../src/render/snapshots.js';

function sql(db: string, statement: string, ...params: unknown[]): void {
  const handle = new Database(db);
  try {
    handle.pragma('busy_timeout = 5000');
    handle.prepare(statement).run(...params);
  } finally {
    handle.close();
  }
}

/** Every file and folder under `dir` with its mode and content: equal trees mean an untouched folder. */
function tree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const mode = (fs.lstatSync(full).mode & 0o777).toString(8);
    result[path.relative(dir, full)] = entry.isFile() ? `${mode} ${fs.readFileSync(full, 'utf8')}` : `${mode} ${entry.isDirectory() ? 'folder' : 'other'}`;
  }
  return result;
}

/** The text of every page under `dir`, by relative path. */
function pages(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      found.set(path.relative(dir, path.join(entry.parentPath, entry.name)), fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return found;
}

describe('one committed state per snapshot set, also with a writer thread', () => {
  // Enough pages for the writer thread (it takes those after the first 500); it exists only in the bundle: the real binary.
  const COUNT = 2500;
  let template: string;
  beforeAll(async () => {
    template = await makeStore({ dump: generateDump(20_261_201, COUNT) });
  }, 120_000);

  let writer: ChildProcess | undefined;
  afterEach(() => {
    writer?.kill('SIGKILL');
    writer = undefined;
  });

  /** A process that commits a new footer text, `State <n>`, for every group at once, every few milliseconds. */
  function startWriter(db: string): ChildProcess {
    const script = `
      const Database = require(process.argv[1]);
      const db = new Database(process.argv[2]);
      db.pragma('busy_timeout = 5000');
      const update = db.prepare("UPDATE groups SET footer_text = 'State ' || ?");
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let n = 1; ; n += 1) { update.run(n); Atomics.wait(pause, 0, 0, 3); }`;
    return spawn(process.execPath, ['-e', script, path.join(ROOT, 'node_modules', 'better-sqlite3'), db], { stdio: 'ignore' });
  }

  const footerState = (db: string): string => {
    const handle = new Database(db, { readonly: true });
    try {
      return handle.prepare('SELECT footer_text FROM groups ORDER BY id LIMIT 1').pluck().get() as string;
    } finally {
      handle.close();
    }
  };

  it('every page of a set shows the same state while another process commits every few milliseconds', async () => {
    const db = copyStore(template);
    sql(db, "UPDATE groups SET footer_text = 'State 0'");
    writer = startWriter(db);
    // Wait until the writer is committing.
    for (let i = 0; i < 200 && footerState(db) === 'State 0'; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    for (let run = 1; run <= 2; run += 1) {
      const dir = path.join(tempDir(), 'snapshots');
      const stateBefore = footerState(db);
      const result = popsBinary(['--db', db, 'preview', '--all', '--out', dir], { env: { POPS_BUSY_TIMEOUT_MS: '20000' } });
      expect(result.code, result.stderr).toBe(0);
      expect(footerState(db), 'the writer kept committing during the run').not.toBe(stateBefore);
      const written = pages(dir);
      expect(written.size).toBe(COUNT);
      const states = new Set<string>();
      for (const text of written.values()) for (const match of text.matchAll(/State \d+/g)) states.add(match[0]);
      expect([...states], `run ${run}: the pages show more than one state of the store`).toHaveLength(1);
    }
  }, 180_000);

  it('a writer that commits and closes while a large set is written does not take the log from under it, and every page shows one state', async () => {
    // A connection that closes believing it is the last one on the store copies the log into the file and deletes
    // it, ignoring readers: later reads of the set's transaction would see newer pages. It believes so when this
    // process holds no lock on the file, which happens when any descriptor of the file is closed here while the
    // store is open (docs/store.md, "Transactions and waiting"): the second thread used to read the file's header.
    const db = copyStore(template);
    // Every page kind: a run long enough for several writers.
    const pageCount = COUNT * 6;
    const dir = path.join(tempDir(), 'snapshots');
    const child = spawn(process.execPath, [BIN, '--db', db, 'preview', '--all', '--pages', 'all', '--out', dir], {
      env: childEnv({ POPS_BUSY_TIMEOUT_MS: '20000' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    // Pages staged so far (in the hidden folders the groups are staged in): from the first to the last, the second
    // thread's read transaction and the first thread's connection are open.
    const staged = (): number => {
      try {
        return fs.readdirSync(dir).reduce((sum, name) => sum + (name.startsWith('.') ? fs.readdirSync(path.join(dir, name)).length : 0), 0);
      } catch {
        return 0; // a hidden folder renamed away while listed
      }
    };
    while (child.exitCode === null && staged() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(child.exitCode, 'the run ended before it staged a page').toBeNull();
    // Writers, each opening the store, renaming every guarantor, and closing, while the run is staging its pages: the
    // sqlite3 command, whose SQLite (3.40 on these machines) deletes the log whenever it can lock the file alone, where
    // better-sqlite3's seldom does. .ci/run installs it where it is missing.
    let writes = 0;
    let counted = 0;
    let logGone = 0;
    for (let before = staged(); child.exitCode === null && before > 0 && before < 0.9 * pageCount; before = staged()) {
      writes += 1;
      const writer = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, `UPDATE accounts SET guarantor_last_name = 'Gen${writes}'`], { encoding: 'utf8' });
      expect(writer.error, 'the sqlite3 command (Debian package sqlite3)').toBeUndefined();
      expect(writer.status, writer.stderr).toBe(0);
      const gone = !fs.existsSync(`${db}-wal`);
      // Counted only when the run was still staging after the writer closed (its transaction open all along).
      const after = staged();
      if (after > 0 && after < 0.9 * pageCount) {
        counted += 1;
        if (gone) logGone += 1;
      }
    }
    expect(await exited, stderr).toBe(0);
    expect(counted, 'writers that committed and closed while the run was staging').toBeGreaterThan(0);
    expect(logGone, `writers (of ${counted}) that took the log away during the run`).toBe(0);
    // The set's transaction began before the first writer: no page shows a name written after it.
    const later = [...pages(dir)].filter(([, text]) => /Gen\d+/.test(text)).map(([relative]) => relative);
    expect(later.slice(0, 5), `pages (of ${later.length}) from a later state of the store`).toEqual([]);
  }, 120_000);

  it('a large store whose set needs no second thread (one small group), or whose command line is refused: the thread the launcher started early is left unused', async () => {
    // bin/pops.js starts the second thread before the program loads when `preview --all --out` names a store file of 1 MiB or more.
    // The same accounts, all but 100 of the first group's moved to the second group.
    const dump = generateDump(20_261_201, COUNT);
    const [group, other] = (dump.groups as { name: string }[]).map(({ name }) => name);
    let count = 0;
    for (const account of dump.accounts) if (account.group === group && (count += 1) > 100) account.group = other;
    count = Math.min(count, 100);
    const db = await makeStore({ dump });
    expect(fs.statSync(db).size).toBeGreaterThanOrEqual(1024 * 1024);
    const dir = path.join(tempDir(), 'snapshots');
    const result = popsBinary(['--db', db, 'preview', '--all', '--group', group, '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`pops: wrote ${count} snapshots to ${dir}\n`);
    expect(result.stderr).not.toContain('second thread');
    const here = path.join(tempDir(), 'snapshots');
    expect((await pops(['--db', db, 'preview', '--all', '--group', group, '--out', here])).code).toBe(0);
    expect(pages(dir)).toEqual(pages(here));

    const refused = popsBinary(['--db', db, 'preview', '--all', '--out', path.join(tempDir(), 'none'), '--no-such-option']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("pops: unknown option '--no-such-option'\n");
  }, 120_000);

  it('a page the writer thread cannot write: exit 2, and the folder is exactly as before (no new pages, no temporary files)', () => {
    const dir = path.join(tempDir(), 'snapshots');
    // An old page of the first account (staged by the rendering thread) and, where the last account's page goes
    // (the writer thread's), a folder that cannot be replaced.
    const { accounts } = generateDump(20_261_201, COUNT);
    const first = path.join(dir, snapshotPath({ id: 0, name: accounts[0].group }, accounts[0].accountNumber));
    const blocked = path.join(dir, snapshotPath({ id: 0, name: accounts[COUNT - 1].group }, accounts[COUNT - 1].accountNumber));
    fs.mkdirSync(path.dirname(first), { recursive: true });
    fs.writeFileSync(first, 'an old page', { mode: 0o644 });
    fs.mkdirSync(blocked, { recursive: true });
    const before = tree(dir);

    const result = popsBinary(['--db', copyStore(template), 'preview', '--all', '--out', dir]);
    expect(result.code).toBe(2);
    expect(tree(dir)).toEqual(before);
    expect(result.stderr).toBe(`pops: cannot write ${blocked}: it is a folder\n`);
  }, 120_000);
});

describe('a snapshot set is written all or nothing', () => {
  let demo: string;
  beforeAll(async () => {
    demo = await makeStore({ demo: true });
  });

  it('a page that cannot be written: exit 2, no page changed, none added, no temporary file left', async () => {
    const db = copyStore(demo);
    const dir = path.join(tempDir(), 'snapshots');
    expect((await pops(['--db', db, 'preview', '--all', '--out', dir])).code).toBe(0);
    // Every Riverbend page would change; the last account's page is blocked by a folder.
    sql(db, "UPDATE groups SET footer_phone = '+13125550100' WHERE name = 'Riverbend Orthopedics'");
    sql(db, "UPDATE groups SET footer_text = 'New hours'");
    const blocked = path.join(dir, 'riverbend-orthopedics', '10036.txt');
    fs.rmSync(blocked);
    fs.mkdirSync(blocked);
    const before = tree(dir);
    const result = await pops(['--db', db, 'preview', '--all', '--out', dir]);
    expect(result.code).toBe(2);
    expect(tree(dir)).toEqual(before);
    expect(result.stderr).toBe(`pops: cannot write ${blocked}: it is a folder\n`);
  });

  it('a failure in a new set removes the group folders the run made', async () => {
    const dir = tempDir();
    // A file where the last group's folder would go.
    fs.writeFileSync(path.join(dir, 'riverbend-orthopedics'), 'in the way');
    const result = await pops(['--db', demo, 'preview', '--all', '--out', dir]);
    expect(result.code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(['riverbend-orthopedics']);
    expect(result.stderr).toBe(`pops: cannot write ${path.join(dir, 'riverbend-orthopedics')}: it is not a folder\n`);
  });

  it('a failure while making the folder itself leaves nothing behind', async () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'file'), 'x');
    const dir = path.join(parent, 'file', 'snapshots');
    const result = await pops(['--db', demo, 'preview', '--all', '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${dir}: a part of its path is not a folder\n`);
    expect(fs.readdirSync(parent)).toEqual(['file']);
  });
});

describe('sets of no accounts', () => {
  it('--out makes the folder even for a group without accounts, and --check of it is exit 0', async () => {
    const db = await makeStore({ demo: true });
    expect((await pops(['--db', db, 'groups', 'create', 'Empty Clinic'])).code).toBe(0);
    const dir = path.join(tempDir(), 'empty');
    const out = await pops(['--db', db, 'preview', '--all', '--group', 'Empty Clinic', '--out', dir]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toBe(`pops: wrote 0 snapshots to ${dir}\n`);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    const check = await pops(['--db', db, 'preview', '--all', '--group', 'Empty Clinic', '--check', dir]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toBe('0 changed, 0 new, 0 missing, 0 unchanged\n');
  });

  it('a store without accounts: --check against an empty folder is exit 0', async () => {
    const db = await makeStore();
    const dir = tempDir();
    const check = await pops(['--db', db, 'preview', '--all', '--check', dir]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toBe('0 changed, 0 new, 0 missing, 0 unchanged\n');
    const fresh = path.join(tempDir(), 'fresh');
    expect((await pops(['--db', db, 'preview', '--all', '--out', fresh])).code).toBe(0);
    expect(fs.readdirSync(fresh)).toEqual([]);
  });
});

describe('a folder of its own for every group', () => {
  const groupId = async (db: string, name: string): Promise<number> =>
    (JSON.parse((await pops(['--db', db, 'groups', 'list', '--json'])).stdout) as { id: number; name: string }[]).find((g) => g.name === name)!.id;

  it('"Lakeside Pediatrics" and "Lakeside-Pediatrics!" get two folders; --check --group of either finds only its own pages', async () => {
    const db = await makeStore({ demo: true });
    const dir = path.join(tempDir(), 'snapshots');
    // A tree taken before the second group existed.
    expect((await pops(['--db', db, 'preview', '--all', '--out', dir])).code).toBe(0);
    const lakesideBefore = fs.readdirSync(path.join(dir, 'lakeside-pediatrics')).sort();

    expect((await pops(['--db', db, 'groups', 'create', 'Lakeside-Pediatrics!'])).code).toBe(0);
    const id = await groupId(db, 'Lakeside-Pediatrics!');
    sql(db, "UPDATE accounts SET group_id = ? WHERE account_number IN ('10002', '10005')", id);
    // The untouched groups' pages are still valid: --check finds only the two moved accounts.
    const moved = await pops(['--db', db, 'preview', '--all', '--check', dir]);
    expect(moved.code).toBe(1);
    expect(moved.stdout.split('\n').filter((l) => /^(new|missing|changed) /.test(l))).toEqual([
      `new lakeside-pediatrics--${id}/10002.txt`,
      `new lakeside-pediatrics--${id}/10005.txt`,
      'missing northshore-family-medicine/10002.txt',
      'missing northshore-family-medicine/10005.txt',
    ]);

    const fresh = path.join(tempDir(), 'fresh');
    expect((await pops(['--db', db, 'preview', '--all', '--out', fresh])).code).toBe(0);
    expect(fs.readdirSync(fresh).sort()).toEqual(['lakeside-pediatrics', `lakeside-pediatrics--${id}`, 'northshore-family-medicine', 'riverbend-orthopedics']);
    expect(fs.readdirSync(path.join(fresh, 'lakeside-pediatrics')).sort()).toEqual(lakesideBefore);
    expect(fs.readdirSync(path.join(fresh, `lakeside-pediatrics--${id}`)).sort()).toEqual(['10002.txt', '10005.txt']);
    for (const group of ['Lakeside Pediatrics', 'Lakeside-Pediatrics!']) {
      const check = await pops(['--db', db, 'preview', '--all', '--group', group, '--check', fresh]);
      expect(check.code, `${group}: ${check.stdout}`).toBe(0);
    }

    // Later groups whose names give the same folder, or that read like the folder of a colliding one, move nobody.
    for (const name of ['LAKESIDE pediatrics.', `lakeside-pediatrics-${id}`]) expect((await pops(['--db', db, 'groups', 'create', name])).code).toBe(0);
    sql(db, "UPDATE accounts SET group_id = ? WHERE account_number = '10008'", await groupId(db, `lakeside-pediatrics-${id}`));
    const later = await pops(['--db', db, 'preview', '--all', '--check', fresh]);
    expect(later.stdout.split('\n').filter((l) => /^(new|missing|changed) /.test(l))).toEqual([
      `new lakeside-pediatrics-${id}/10008.txt`,
      'missing northshore-family-medicine/10008.txt',
    ]);
  });
});
