// The audit log after the v1.1 review (docs/design-choices.md, "Hardening
// (v1.1)"): creating a group also records each setting that differs from its
// default (so the log answers "who turned Show Collections on for X"),
// `audit --csv`, and --actor / POPS_ACTOR refuse control characters and more
// than 100 characters.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/domain/group-settings.js';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { baseDump } from '../helpers/dumps.js';

type Json = any;
const auditOf = async (db: string, ...args: string[]): Promise<Json[]> => JSON.parse((await pops(['--db', db, 'audit', '--all', '--json', ...args])).stdout);
/** Oldest first, without time and batch: what each command wrote, in order. */
const history = (rows: Json[]) => [...rows].reverse().map(({ actor, action, group, field, from, to }) => ({ actor, action, group, field, from, to }));

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('creating a group records its settings that differ from the defaults', () => {
    it('groups create: one create row, then one set row per such setting, all in one batch', async () => {
      const db = await makeStore({}, backend);
      const result = await pops([
        '--db',
        db,
        '--actor',
        'alice',
        'groups',
        'create',
        'Harbor Dermatology',
        '--show-collections',
        'on',
        '--footer-phone',
        '312-555-0199',
        '--credit-card',
        'on', // the default: nothing to record
        '--landing-page',
        'account',
      ]);
      expect(result.code).toBe(0);
      const rows = await auditOf(db);
      expect(history(rows)).toEqual([
        { actor: 'alice', action: 'create', group: 'Harbor Dermatology', field: null, from: null, to: null },
        { actor: 'alice', action: 'set', group: 'Harbor Dermatology', field: 'showCollections', from: false, to: true },
        { actor: 'alice', action: 'set', group: 'Harbor Dermatology', field: 'footerPhone', from: null, to: '+13125550199' },
        { actor: 'alice', action: 'set', group: 'Harbor Dermatology', field: 'landingPage', from: 'home', to: 'account' },
      ]);
      expect(new Set(rows.map((r) => r.batch)).size).toBe(1);
      expect(new Set(rows.map((r) => r.at)).size).toBe(1);
    });

    it('a group created at its defaults has only the create row', async () => {
      const db = await makeStore({}, backend);
      await pops(['--db', db, 'groups', 'create', 'Plain Clinic']);
      expect(history(await auditOf(db))).toEqual([{ actor: 'tester', action: 'create', group: 'Plain Clinic', field: null, from: null, to: null }]);
    });

    it('groups apply --create records the same rows, in the one batch of the run', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const input = JSON.stringify([
        { name: 'Lakeside Pediatrics', autoPost: true },
        { name: 'Harbor Dermatology', showCollections: true, footerEmail: 'billing@harbor.example.com' },
      ]);
      expect((await pops(['--db', db, 'groups', 'apply', '-', '--format', 'json', '--create'], { input })).code).toBe(0);
      const rows = (await auditOf(db)).slice(0, -before);
      expect(history(rows)).toEqual([
        { actor: 'tester', action: 'set', group: 'Lakeside Pediatrics', field: 'autoPost', from: false, to: true },
        { actor: 'tester', action: 'create', group: 'Harbor Dermatology', field: null, from: null, to: null },
        { actor: 'tester', action: 'set', group: 'Harbor Dermatology', field: 'showCollections', from: false, to: true },
        { actor: 'tester', action: 'set', group: 'Harbor Dermatology', field: 'footerEmail', from: null, to: 'billing@harbor.example.com' },
      ]);
      expect(new Set(rows.map((r) => r.batch)).size).toBe(1);
    });

    it('import records them too, so the log answers who turned Show Collections on', async () => {
      const db = await makeStore({}, backend);
      const dump = baseDump({ groups: [{ name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '(312) 555-0142' }, { name: 'Quiet Clinic' }] });
      expect((await pops(['--db', db, '--actor', 'importer', 'import', '-'], { input: JSON.stringify(dump) })).code).toBe(0);
      expect(history(await auditOf(db))).toEqual([
        { actor: 'importer', action: 'create', group: 'Lakeside Pediatrics', field: null, from: null, to: null },
        { actor: 'importer', action: 'set', group: 'Lakeside Pediatrics', field: 'showCollections', from: false, to: true },
        { actor: 'importer', action: 'set', group: 'Lakeside Pediatrics', field: 'footerPhone', from: null, to: '+13125550142' },
        { actor: 'importer', action: 'create', group: 'Quiet Clinic', field: null, from: null, to: null },
      ]);
      const shown = await auditOf(db, '--group', 'Lakeside Pediatrics');
      expect(shown.find((r) => r.field === 'showCollections')).toMatchObject({ actor: 'importer', to: true });
    });

    it('replaying the log from the defaults gives every group as it is', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'set', '2', '--footer-text', 'Closed Mondays', '--name', 'Northshore Health']);
      const groups: Record<string, Json> = {};
      for (const row of [...(await auditOf(db))].reverse()) {
        if (row.action === 'create') groups[row.group] = defaultSettings();
        if (row.action === 'set') groups[row.group][row.field] = row.to;
        if (row.action === 'rename') {
          groups[row.to] = groups[row.from];
          delete groups[row.from];
        }
      }
      for (const [name, settings] of Object.entries(groups)) {
        const shown = JSON.parse((await pops(['--db', db, 'groups', 'show', name, '--json'])).stdout);
        expect(shown).toMatchObject(settings);
      }
      expect(Object.keys(groups).sort()).toEqual(['Lakeside Pediatrics', 'Northshore Health', 'Riverbend Orthopedics']);
    });
  });

  describe('audit --csv', () => {
    it('has a header row and the same fields as JSON, one row per entry, newest first', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'set', '2', '--footer-text', 'Closed Mondays, "and" Tuesdays', '--show-collections', 'on']);
      const result = await pops(['--db', db, 'audit', '--csv', '--limit', '3']);
      expect(result.code).toBe(0);
      const json = (await auditOf(db)).slice(0, 3);
      const [header, ...rows] = parse(result.stdout) as string[][];
      expect(header).toEqual(['at', 'actor', 'action', 'group', 'field', 'from', 'to', 'batch']);
      const cell = (value: unknown) => (value === null ? '' : String(value));
      expect(rows).toEqual(json.map((r) => [r.at, r.actor, r.action, r.group, cell(r.field), cell(r.from), cell(r.to), r.batch]));
      expect(result.stdout).toContain('"Closed Mondays, ""and"" Tuesdays"');
      expect(rows[1]).toEqual([json[1].at, 'tester', 'set', 'Northshore Family Medicine', 'showCollections', 'false', 'true', json[1].batch]);
    });

    it('follows --group and --all; an empty log is the header alone; --csv with --json is exit 2', async () => {
      const db = await makeStore({ demo: true }, backend);
      const all = parse((await pops(['--db', db, 'audit', '--csv', '--all', '--group', '3'])).stdout) as string[][];
      expect(all.slice(1).map((r) => r[3])).toEqual(all.slice(1).map(() => 'Riverbend Orthopedics'));
      expect(all.length).toBeGreaterThan(1);
      expect((await pops(['--db', await makeStore({}, backend), 'audit', '--csv'])).stdout).toBe('at,actor,action,group,field,from,to,batch\n');
      expect((await pops(['--db', db, 'audit', '--csv', '--json'])).code).toBe(2);
    });
  });

  describe('--actor and POPS_ACTOR', () => {
    const write = ['groups', 'set', '1', '--auto-post', 'on'];

    it('refuse control characters (exit 2, nothing written)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      for (const actor of ['alice\nbob', 'alice\u001b[31m', 'tab\there', 'del\u007f', 'c1\u0085']) {
        const flag = await pops(['--db', db, '--actor', actor, ...write]);
        expect(flag.code).toBe(2);
        expect(flag.stderr).toMatch(/^pops: --actor: the actor name contains control characters/m);
        expect(flag.stderr).not.toMatch(/\.ts:\d+/); // no stack trace
        const env = await pops(['--db', db, ...write], { env: { POPS_ACTOR: actor } });
        expect(env.code).toBe(2);
        expect(env.stderr).toMatch(/^pops: POPS_ACTOR: the actor name contains control characters/m);
      }
      expect(storeDigest(db)).toBe(before);
    });

    it('refuse more than 100 characters; 100 are fine', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const long = await pops(['--db', db, `--actor=${'a'.repeat(101)}`, ...write]);
      expect(long.code).toBe(2);
      expect(long.stderr).toMatch(/^pops: --actor: the actor name is longer than 100 characters \(101\)/m);
      expect((await pops(['--db', db, ...write], { env: { POPS_ACTOR: 'é'.repeat(101) } })).code).toBe(2);
      expect(storeDigest(db)).toBe(before);
      const ok = await pops(['--db', db, '--actor', 'ü'.repeat(100), ...write]);
      expect(ok.code).toBe(0);
      expect((await auditOf(db))[0].actor).toBe('ü'.repeat(100));
    });

    it('--actor wins over POPS_ACTOR, and a bad POPS_ACTOR does not matter when --actor is given', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, '--actor', 'carol', ...write], { env: { POPS_ACTOR: 'bad\u0007' } });
      expect(result.code).toBe(0);
      expect((await auditOf(db))[0].actor).toBe('carol');
    });
  });
});
