// pops audit: the log of group changes, newest first (SPEC §6).
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest, type Backend } from '../helpers/cli.js';
import { baseDump } from '../helpers/dumps.js';

type Json = any;
const audit = async (db: string, ...args: string[]): Promise<Json[]> => {
  const result = await pops(['--db', db, 'audit', '--json', ...args]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};

/** The store the tests of the current block run on (set by each block's beforeAll). */
let current: Backend = 'sqlite';

/** A store with 60 groups created by one import (60 create rows in one batch). */
function storeWithManyGroups(): Promise<string> {
  const groups = Array.from({ length: 60 }, (_, i) => ({ name: `Group ${String(i + 1).padStart(2, '0')}` }));
  return makeStore({ dump: baseDump({ groups }) }, current);
}

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  beforeAll(() => {
    current = backend;
  });

  describe('audit --json', () => {
    it('is an array of {at, actor, action, group, field, from, to, batch}, newest first', async () => {
      const db = await makeStore({}, backend);
      await pops(['--db', db, '--actor', 'alice', 'groups', 'create', 'Harbor Dermatology']);
      await pops(['--db', db, 'groups', 'set', 'Harbor Dermatology', '--show-collections', 'on', '--footer-phone', '312-555-0199', '--actor', 'bob']);
      await pops(['--db', db, 'groups', 'set', '1', '--name', 'Harbor Skin Care'], { env: { POPS_ACTOR: 'carol' } });
      const rows = await audit(db);
      expect(rows).toEqual([
        {
          at: expect.any(String),
          actor: 'carol',
          action: 'rename',
          group: 'Harbor Dermatology',
          field: 'name',
          from: 'Harbor Dermatology',
          to: 'Harbor Skin Care',
          batch: expect.any(String),
        },
        {
          at: expect.any(String),
          actor: 'bob',
          action: 'set',
          group: 'Harbor Dermatology',
          field: 'footerPhone',
          from: null,
          to: '+13125550199',
          batch: expect.any(String),
        },
        {
          at: expect.any(String),
          actor: 'bob',
          action: 'set',
          group: 'Harbor Dermatology',
          field: 'showCollections',
          from: false,
          to: true,
          batch: expect.any(String),
        },
        { at: expect.any(String), actor: 'alice', action: 'create', group: 'Harbor Dermatology', field: null, from: null, to: null, batch: expect.any(String) },
      ]);
      for (const row of rows) expect(row.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort().reverse());
      expect(rows[1].batch).toBe(rows[2].batch);
      expect(new Set(rows.map((r) => r.batch)).size).toBe(3);
    });

    it('shows the newest 50 by default, --limit N, or --all', async () => {
      const db = await storeWithManyGroups();
      const latest = await audit(db);
      expect(latest).toHaveLength(50);
      expect(latest[0].group).toBe('Group 60');
      expect(latest[49].group).toBe('Group 11');
      expect((await audit(db, '--limit', '3')).map((r) => r.group)).toEqual(['Group 60', 'Group 59', 'Group 58']);
      expect(await audit(db, '--all')).toHaveLength(60);
    });

    it('--group: only that group, named in any case or by id', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'set', '1', '--auto-post', 'on']);
      await pops(['--db', db, 'groups', 'set', '2', '--auto-post', 'on']);
      // Newest first: this change, then the demo's creation (a create row and a
      // set row per setting that differs from its default, in one batch).
      const rows = await audit(db, '--group', 'LAKESIDE PEDIATRICS');
      expect(rows[0]).toMatchObject({ action: 'set', group: 'Lakeside Pediatrics', field: 'autoPost' });
      expect(rows.at(-1)).toMatchObject({ action: 'create', group: 'Lakeside Pediatrics', field: null });
      expect(rows.slice(1).map((r) => [r.action, r.group, r.batch])).toEqual(
        rows.slice(1).map((r, i) => [i === rows.length - 2 ? 'create' : 'set', 'Lakeside Pediatrics', rows.at(-1).batch]),
      );
      const second = await audit(db, '--group', '2');
      expect(second[0]).toMatchObject({ action: 'set', field: 'autoPost' });
      expect(new Set(second.map((r) => r.group))).toEqual(new Set(['Northshore Family Medicine']));
    });

    it('--group follows a group through a rename', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'set', '3', '--name', 'Riverbend Ortho']);
      await pops(['--db', db, 'groups', 'set', '3', '--auto-post', 'on']);
      const rows = await audit(db, '--group', 'Riverbend Ortho');
      expect(rows.map((r) => [r.action, r.group])).toEqual([
        ['set', 'Riverbend Ortho'],
        ['rename', 'Riverbend Orthopedics'],
        ...rows.slice(2, -1).map(() => ['set', 'Riverbend Orthopedics']), // the demo's settings, set at creation
        ['create', 'Riverbend Orthopedics'],
      ]);
    });

    it('an empty log is []', async () => {
      expect(await audit(await makeStore({}, backend))).toEqual([]);
    });
  });

  describe('audit as a table', () => {
    it('shows time (UTC), actor, action, group, field, values as on screen, and the batch', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'footer-number', 'Riverbend Orthopedics', '(312) 555-0199 x7']);
      const result = await pops(['--db', db, 'audit', '--limit', '1']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/At \(UTC\)\s+│ Actor\s+│ Action │ Group\s+│ Field\s+│ From\s+│ To\s+│ Batch/);
      expect(result.stdout).toMatch(
        /│ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} │ tester │ set\s+│ Riverbend Orthopedics │ footerPhone │ not set │ \(312\) 555-0199 ext\. 7 │ [0-9a-f]{8} │/,
      );
    });

    it('reading the log writes nothing', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      await pops(['--db', db, 'audit']);
      await pops(['--db', db, 'audit', '--json', '--all']);
      expect(storeDigest(db)).toBe(before);
    });
  });

  describe('audit --group of a deleted group', () => {
    it('finds its history by its id or by the name it had, newest first', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await pops(['--db', db, 'groups', 'create', 'Old Clinic', '--auto-post', 'on'])).code).toBe(0);
      const id = JSON.parse((await pops(['--db', db, 'groups', 'show', 'Old Clinic', '--json'])).stdout).id;
      expect((await pops(['--db', db, 'groups', 'delete', 'Old Clinic', '--yes'])).code).toBe(0);
      for (const reference of [String(id), 'old clinic']) {
        const result = await pops(['--db', db, 'audit', '--group', reference, '--json']);
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout).map((row: any) => [row.action, row.group, row.field])).toEqual([
          ['delete', 'Old Clinic', null],
          ['set', 'Old Clinic', 'autoPost'],
          ['create', 'Old Clinic', null],
        ]);
      }
    });

    it('a name the log never saw deleted is still exit 3', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await pops(['--db', db, 'audit', '--group', 'Nowhere Clinic'])).code).toBe(3);
    });
  });
});

describe('who is recorded', () => {
  it('without --actor or POPS_ACTOR (or with an empty one), the OS user name; --actor over POPS_ACTOR', async () => {
    const db = await makeStore({ demo: true });
    const user = os.userInfo().username;
    const set = (phone: string, env: Record<string, string | undefined>, ...extra: string[]) =>
      pops(['--db', db, ...extra, 'groups', 'set', 'Lakeside Pediatrics', '--footer-phone', phone], { env });
    expect((await set('312-555-0101', { POPS_ACTOR: undefined })).code).toBe(0);
    expect((await set('312-555-0102', { POPS_ACTOR: '' })).code).toBe(0);
    expect((await set('312-555-0103', { POPS_ACTOR: 'dana' })).code).toBe(0);
    expect((await set('312-555-0104', { POPS_ACTOR: 'dana' }, '--actor', 'erin')).code).toBe(0);
    const actors = (await audit(db)).filter((entry) => entry.field === 'footerPhone').map((entry) => entry.actor);
    expect(actors.slice(0, 4)).toEqual(['erin', 'dana', user, user]);
  });
});
