// SPEC §3, §10: two processes writing at once both finish (one waits for the
// other's transaction) or one fails with exit 4 "store is busy"; no change is
// lost, nothing is half done, and the audit log has every change that
// succeeded. A writer that holds the lock past the busy timeout (5 s, or
// POPS_BUSY_TIMEOUT_MS) makes a pops write fail with exit 4 — promptly, never
// a hang, never exit 70 — while reads keep working (WAL).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeStore, pops, ROOT, tempDir } from '../helpers/cli.js';
import { BUSY_TIMEOUT_MS, openStore } from '../../src/store/open.js';
import { resolveGlobals } from '../../src/shell/context.js';
import { baseDump } from '../helpers/dumps.js';
import { runKillable, type ChildRun } from './child-runs.js';
import { storeState } from './store-state.js';

const GROUP_COUNT = 2000;
const groupName = (i: number): string => `Practice ${String(i).padStart(4, '0')}`;

function inputFile(name: string, content: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

function auditRows(db: string): { batch: string; group_name: string; field: string | null; to_value: string | null }[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT batch, group_name, field, to_value FROM audit_log ORDER BY id').all() as never;
  } finally {
    sqlite.close();
  }
}

async function groupsJson(db: string): Promise<Record<string, any>> {
  const result = await pops(['--db', db, 'groups', 'export']);
  expect(result.code, result.stderr).toBe(0);
  const groups = JSON.parse(result.stdout).groups as Record<string, any>[];
  return Object.fromEntries(groups.map((g) => [g.name, g]));
}

/** Exit 0, or exit 4 saying "store is busy" — nothing else, and never a stack trace. */
function expectDoneOrBusy(run: ChildRun): void {
  expect([0, 4], run.stderr).toContain(run.code);
  if (run.code === 4) expect(run.stderr).toMatch(/^pops: store is busy/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('two processes writing at once', () => {
  it('two large groups apply runs on the same groups: each all or nothing, the audit log has every change made', async () => {
    const db = await makeStore({ dump: baseDump({ groups: Array.from({ length: GROUP_COUNT }, (_, i) => ({ name: groupName(i) })) }) });
    const names = Array.from({ length: GROUP_COUNT }, (_, i) => groupName(i));
    const texts = inputFile('texts.csv', `name,footerText\n${names.map((n, i) => `${n},"Call us, ${i}"`).join('\n')}\n`);
    const payments = inputFile('payments.json', JSON.stringify({ groups: names.map((name) => ({ name, applePay: true, googlePay: true })) }));
    const auditBefore = auditRows(db).length;

    const [first, second] = await Promise.all([runKillable(['--db', db, 'groups', 'apply', texts]), runKillable(['--db', db, 'groups', 'apply', payments])]);
    expectDoneOrBusy(first);
    expectDoneOrBusy(second);
    // Each run takes about a second here, well inside the 5 s wait: both finish.
    expect([first.code, second.code]).toEqual([0, 0]);

    const groups = await groupsJson(db);
    names.forEach((name, i) => {
      expect(groups[name].footerText).toBe(first.code === 0 ? `Call us, ${i}` : null);
      expect(groups[name].applePay).toBe(second.code === 0);
      expect(groups[name].googlePay).toBe(second.code === 0);
    });
    const added = auditRows(db).slice(auditBefore);
    const batches = new Map<string, typeof added>();
    for (const row of added) batches.set(row.batch, [...(batches.get(row.batch) ?? []), row]);
    const sizes = [...batches.values()].map((rows) => rows.length).sort((a, b) => a - b);
    expect(sizes).toEqual(
      [first.code === 0 ? GROUP_COUNT : null, second.code === 0 ? 2 * GROUP_COUNT : null].filter((n) => n !== null).sort((a, b) => a! - b!),
    );
    // One batch after the other, never interleaved: the transactions ran one at a time.
    const order = added.map((row) => row.batch).filter((batch, i, all) => i === 0 || all[i - 1] !== batch);
    expect(order).toHaveLength(batches.size);
  }, 60_000);

  it('six groups set runs on one group, each changing another setting: no change is lost', async () => {
    const db = await makeStore({ dump: baseDump() });
    const flags = [
      ['--footer-text', 'Billing office'],
      ['--apple-pay', 'on'],
      ['--google-pay', 'on'],
      ['--footer-email', 'billing@lakeside.example.com'],
      ['--logo-url', 'https://lakeside.example.com/logo.png'],
      ['--auto-post', 'on'],
    ];
    const runs = await Promise.all(flags.map((flag, i) => runKillable(['--db', db, '--actor', `clerk-${i}`, 'groups', 'set', 'Lakeside Pediatrics', ...flag])));
    runs.forEach(expectDoneOrBusy);
    expect(runs.map((r) => r.code)).toEqual(flags.map(() => 0));
    const group = (await groupsJson(db))['Lakeside Pediatrics'];
    expect(group).toMatchObject({
      footerText: 'Billing office',
      applePay: true,
      googlePay: true,
      footerEmail: 'billing@lakeside.example.com',
      logoUrl: 'https://lakeside.example.com/logo.png',
      autoPost: true,
    });
    // The six runs' rows (the import that made the store audited the group's initial settings too).
    const [imported] = auditRows(db);
    const sets = auditRows(db).filter((row) => row.field !== null && row.batch !== imported.batch);
    expect(sets.map((row) => row.field).sort()).toEqual(['applePay', 'autoPost', 'footerEmail', 'footerText', 'googlePay', 'logoUrl']);
    expect(new Set(sets.map((row) => row.batch)).size).toBe(6);
  }, 60_000);
});

describe('a store locked by another writer past the busy timeout', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => {
    if (holder && holder.exitCode === null) holder.kill('SIGKILL');
    holder = undefined;
  });

  /** Another process takes the write lock (BEGIN IMMEDIATE) and keeps it for `ms`; resolves once it holds it. */
  function holdWriteLock(db: string, ms: number): Promise<void> {
    const script = `
      const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))});
      const db = new Database(${JSON.stringify(db)});
      db.exec('BEGIN IMMEDIATE');
      db.prepare("UPDATE groups SET footer_text = 'held' WHERE id = 1").run();
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${ms});`;
    holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      holder!.stdout!.setEncoding('utf8').on('data', (text: string) => text.includes('locked') && resolve());
      holder!.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
  }

  // Short, so the test is quick; whether the default of 5 s applies is checked below.
  const BUSY_WAIT_MS = 1000;

  it('every write command waits POPS_BUSY_TIMEOUT_MS, then exits 4 "store is busy" with nothing written; reads still work', async () => {
    const db = await makeStore({ dump: baseDump({ groups: [{ name: 'Lakeside Pediatrics' }, { name: 'Spare Group' }] }) });
    const before = storeState(db);
    const applyFile = inputFile('apply.json', JSON.stringify([{ name: 'Lakeside Pediatrics', applePay: true }]));
    const dumpFile = inputFile(
      'dump.json',
      JSON.stringify(baseDump({ groups: [{ name: 'Other Group' }], facilities: [], providers: [], collectionAgencies: [] })),
    );
    // Held well past every writer's wait; afterEach ends the holder.
    await holdWriteLock(db, 30_000);

    const writes = [
      ['groups', 'set', 'Lakeside Pediatrics', '--apple-pay', 'on'],
      ['groups', 'collections', 'Lakeside Pediatrics', 'on'],
      ['groups', 'footer-number', 'Lakeside Pediatrics', '312-555-0142'],
      ['groups', 'create', 'New Group'],
      ['groups', 'delete', 'Spare Group', '--yes'],
      ['groups', 'apply', applyFile],
      ['import', dumpFile],
    ];
    const started = Date.now();
    const pending = Promise.all(writes.map((args) => runKillable(['--db', db, ...args], undefined, { POPS_BUSY_TIMEOUT_MS: String(BUSY_WAIT_MS) })));
    // Reads while the writer holds its lock: WAL lets them through at once
    // (a read that waited for the lock would take the default 5 s).
    for (const args of [['groups', 'list', '--json'], ['groups', 'show', 'Lakeside Pediatrics', '--json'], ['accounts', 'list'], ['audit'], ['export']]) {
      const readStarted = Date.now();
      const read = await pops(['--db', db, ...args]);
      expect(read.code, `${args.join(' ')}: ${read.stderr}`).toBe(0);
      expect(Date.now() - readStarted).toBeLessThan(BUSY_TIMEOUT_MS - 1000);
    }
    // ...and see the store as committed, not the holder's uncommitted change.
    const shown = await pops(['--db', db, 'groups', 'show', 'Lakeside Pediatrics', '--json']);
    expect(JSON.parse(shown.stdout).footerText).toBeNull();

    const results = await pending;
    const elapsed = Date.now() - started;
    results.forEach((run, i) => {
      expect(run.code, `${writes[i].join(' ')}: ${run.stderr}`).toBe(4);
      expect(run.stderr).toMatch(/^pops: store is busy/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      // The configured wait (plus starting node), then a prompt exit: neither at once, nor the 5 s default, nor a hang.
      expect(run.ms).toBeGreaterThanOrEqual(BUSY_WAIT_MS);
      expect(run.ms).toBeLessThan(BUSY_TIMEOUT_MS - 500);
    });
    expect(elapsed).toBeLessThan(BUSY_TIMEOUT_MS);
    expect(storeState(db)).toEqual(before);
  }, 60_000);
});

describe('the busy timeout', () => {
  it('is 5 s by default; POPS_BUSY_TIMEOUT_MS sets it in milliseconds, and must be a whole number', async () => {
    const db = await makeStore();
    const busyTimeoutOf = (env: NodeJS.ProcessEnv): unknown => {
      const { db: handle } = openStore(db, { busyTimeoutMs: resolveGlobals({}, env).busyTimeoutMs });
      try {
        return handle.pragma('busy_timeout', { simple: true });
      } finally {
        handle.close();
      }
    };
    expect(BUSY_TIMEOUT_MS).toBe(5000);
    expect(busyTimeoutOf({})).toBe(5000);
    expect(busyTimeoutOf({ POPS_BUSY_TIMEOUT_MS: '' })).toBe(5000);
    expect(busyTimeoutOf({ POPS_BUSY_TIMEOUT_MS: '750' })).toBe(750);
    const refused = await pops(['--db', db, 'groups', 'create', 'Harbor'], { env: { POPS_BUSY_TIMEOUT_MS: '2s' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^pops: POPS_BUSY_TIMEOUT_MS: /);
  });
});
