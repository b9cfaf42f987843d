// Group identity (docs/design-choices.md, "Hardening (v1.1)"): ids are never
// reused, names are compared as people read them (NFC, case folding, spaces),
// invisible characters and all-digit names are refused in new names, a
// reference that is both a name and an id is ambiguous, lookups trim, an
// unknown group gets a "did you mean", and `groups list` shows ids.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sql as initialSchema } from '../../src/store/migrations/001-initial.js';
import { nameKey } from '../../src/store/groups.js';
import { BACKENDS, makeStore, pops, storeDigest, storeSql, tempDir } from '../helpers/cli.js';
import { baseDump } from '../helpers/dumps.js';

type Json = any;
const run = (db: string, ...args: string[]) => pops(['--db', db, ...args]);
const groupsJson = async (db: string): Promise<Json[]> => JSON.parse((await run(db, 'groups', 'list', '--json')).stdout);
const auditJson = async (db: string, ...args: string[]): Promise<Json[]> => JSON.parse((await run(db, 'audit', '--json', '--all', ...args)).stdout);

/** Change a store behind pops's back, as an older version of pops (or a hand edit) could have left it. */
function edit(db: string, work: (sqlite: Database.Database) => void): void {
  const sqlite = new Database(db);
  try {
    work(sqlite);
  } finally {
    sqlite.close();
  }
}

/**
 * A store at schema version 1 (before group identity), with what such a store
 * could hold: a name in NFD, two names that only NFC tells apart, an id that
 * was reused after a delete, and the audit rows of all that.
 */
function versionOneStore(): string {
  const db = path.join(tempDir(), 'pops.db');
  const sqlite = new Database(db);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec(initialSchema);
  const group = sqlite.prepare('INSERT INTO groups (id, name, name_key, show_collections, footer_phone) VALUES (?, ?, ?, ?, ?)');
  group.run(1, 'Lakeside Pediatrics', 'lakeside pediatrics', 1, '+13125550142');
  group.run(2, 'Harbor Clinic', 'harbor clinic', 0, null); // id 2 once belonged to "Old Clinic"
  group.run(5, 'Cafe\u0301 Kids', 'cafe\u0301 kids', 0, null); // NFD
  group.run(6, 'Café Kids', 'café kids', 1, null); // NFC: the same name to a reader
  sqlite.exec(`INSERT INTO facilities (id, code, name) VALUES (1, 'MAIN', 'Main'); INSERT INTO providers (id, code, name) VALUES (1, 'ORTIZ', 'Ortiz');`);
  sqlite
    .prepare('INSERT INTO accounts (id, account_number, guarantor_first_name, guarantor_last_name, group_id) VALUES (?, ?, ?, ?, ?)')
    .run(1, '10001', 'Maria', 'Rivera', 5);
  const audit = sqlite.prepare(
    `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch) VALUES ('2026-01-01T00:00:00.000Z', 'old', ?, ?, ?, ?, ?, ?, ?)`,
  );
  audit.run('create', 1, 'Lakeside Pediatrics', null, null, null, 'b1');
  audit.run('create', 2, 'Old Clinic', null, null, null, 'b2');
  audit.run('set', 2, 'Old Clinic', 'autoPost', 'false', 'true', 'b3');
  audit.run('delete', 2, 'Old Clinic', null, null, null, 'b4');
  audit.run('create', 2, 'Harbor Clinic', null, null, null, 'b5');
  audit.run('create', 5, 'Cafe\u0301 Kids', null, null, null, 'b6');
  audit.run('create', 6, 'Café Kids', null, null, null, 'b7');
  audit.run('create', 9, 'Gone Clinic', null, null, null, 'b8'); // the highest id ever used, deleted since
  audit.run('delete', 9, 'Gone Clinic', null, null, null, 'b9');
  sqlite.pragma('user_version = 1');
  sqlite.close();
  return db;
}

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('group ids are never reused', () => {
    it('a group created after the newest one was deleted gets a new id', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await run(db, 'groups', 'create', 'Old Clinic')).stderr).toContain('(id 4)');
      expect((await run(db, 'groups', 'delete', 'Old Clinic', '--yes')).code).toBe(0);
      const created = await run(db, 'groups', 'create', 'New Clinic');
      expect(created).toMatchObject({ code: 0, stderr: expect.stringContaining('(id 5)') });
    });

    it('import --replace gives the imported groups new ids', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await pops(['--db', db, 'import', '-', '--replace'], { input: JSON.stringify(baseDump()) })).code).toBe(0);
      expect((await groupsJson(db)).map((g) => [g.id, g.name])).toEqual([[4, 'Lakeside Pediatrics']]);
    });

    it('audit --group follows one group: the history of a deleted group never shows under a new one', async () => {
      const db = await makeStore({ demo: true }, backend);
      await run(db, 'groups', 'create', 'Old Clinic');
      await run(db, 'groups', 'set', 'Old Clinic', '--auto-post', 'on');
      await run(db, 'groups', 'delete', 'Old Clinic', '--yes');
      await run(db, 'groups', 'create', 'New Clinic');
      const rows = await auditJson(db, '--group', 'New Clinic');
      expect(rows.map((r) => [r.action, r.group])).toEqual([['create', 'New Clinic']]);
    });
  });

  describe('group names are compared as people read them', () => {
    it('NFC and NFD spellings are the same name', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await run(db, 'groups', 'create', 'Caf\u00e9 Kids')).code).toBe(0);
      const before = storeDigest(db);
      const twin = await run(db, 'groups', 'create', 'CAFE\u0301 KIDS');
      expect(twin.code).toBe(2);
      expect(twin.stderr).toMatch(/already exists/);
      expect(storeDigest(db)).toBe(before);
      expect(JSON.parse((await run(db, 'groups', 'show', 'cafe\u0301 kids', '--json')).stdout).name).toBe('Caf\u00e9 Kids');
    });

    it('a name typed in NFD is stored in NFC', async () => {
      const db = await makeStore({}, backend);
      await run(db, 'groups', 'create', 'Cafe\u0301 Kids');
      expect((await groupsJson(db))[0].name).toBe('Caf\u00e9 Kids');
    });

    it('case is compared by Unicode case folding (ß and SS)', async () => {
      const db = await makeStore({}, backend);
      await run(db, 'groups', 'create', 'Straße Klinik');
      expect((await run(db, 'groups', 'create', 'STRASSE KLINIK')).code).toBe(2);
      expect((await run(db, 'groups', 'show', 'strasse klinik')).code).toBe(0);
    });

    it('no-break and other spaces become ordinary spaces, and runs of spaces one', async () => {
      const db = await makeStore({ demo: true }, backend);
      const created = await run(db, 'groups', 'create', 'Harbor\u00a0Dermatology\u202f  East');
      expect(created.code).toBe(0);
      expect((await groupsJson(db)).map((g) => g.name)).toContain('Harbor Dermatology East');
      expect((await run(db, 'groups', 'create', 'Lakeside\u00a0Pediatrics')).code).toBe(2);
      expect((await run(db, 'groups', 'set', '2', '--name', 'Lakeside  Pediatrics')).code).toBe(2);
    });
  });

  describe('new names refuse invisible characters and digits alone', () => {
    const invisible = [
      ['zero-width space', '\u200b'],
      ['word joiner', '\u2060'],
      ['byte order mark', '\ufeff'],
      ['soft hyphen', '\u00ad'],
    ];
    for (const [what, char] of invisible) {
      it(`refuses a ${what} in groups create`, async () => {
        const db = await makeStore({}, backend);
        const before = storeDigest(db);
        const result = await run(db, 'groups', 'create', `Lakeside${char}Pediatrics`);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
          new RegExp(`^pops: group name contains an invisible character \\(U\\+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}\\)`, 'm'),
        );
        expect(storeDigest(db)).toBe(before);
      });
    }

    it('refuses them in set --name, apply --create and import too', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      expect((await run(db, 'groups', 'set', '1', '--name', 'Lakeside\u200bKids')).code).toBe(2);
      const apply = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'json', '--create'], { input: JSON.stringify([{ name: 'New\u2060Clinic' }]) });
      expect(apply.code).toBe(2);
      expect(apply.stderr).toMatch(/\[0\]\.name: group name contains an invisible character \(U\+2060\)/);
      const imported = await pops(['--db', db, 'import', '-'], { input: JSON.stringify(baseDump({ groups: [{ name: 'Clinic\ufeff' }] })) });
      expect(imported.code).toBe(2);
      expect(imported.stderr).toMatch(/groups\[0\]\.name: .*invisible character \(U\+FEFF\)/);
      expect(storeDigest(db)).toBe(before);
    });

    it('apply still finds an existing group by name (invisible-character rules are for new names only)', async () => {
      const db = await makeStore({ demo: true }, backend);
      storeSql(db, 'UPDATE groups SET name = ?, name_key = ? WHERE id = 3', 'Old\u200bName', nameKey('Old\u200bName'));
      const result = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'json'], {
        input: JSON.stringify([{ name: 'Old\u200bName', autoPost: true }]),
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('autoPost: off → on');
    });

    it('refuses a name made only of digits (it would read as an id)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      for (const args of [
        ['groups', 'create', '2024'],
        ['groups', 'create', ' 7 '],
        ['groups', 'set', '1', '--name', '42'],
      ]) {
        const result = await run(db, ...args);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/group name cannot be only digits/);
      }
      const apply = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'csv', '--create'], { input: 'name,autoPost\n7,on\n' });
      expect(apply.code).toBe(2);
      expect(apply.stderr).toMatch(/line 2: name: group name cannot be only digits/);
      const imported = await pops(['--db', db, 'import', '-'], { input: JSON.stringify(baseDump({ groups: [{ name: '3' }] })) });
      expect(imported.code).toBe(2);
      expect(storeDigest(db)).toBe(before);
      expect((await run(db, 'groups', 'create', 'Clinic 2024')).code).toBe(0);
    });
  });

  describe('naming a group on the command line', () => {
    it('trims surrounding spaces', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect(JSON.parse((await run(db, 'groups', 'show', '  Lakeside Pediatrics ', '--json')).stdout).id).toBe(1);
      expect(JSON.parse((await run(db, 'groups', 'show', ' 2 ', '--json')).stdout).id).toBe(2);
      expect((await run(db, 'accounts', 'list', '--group', ' riverbend orthopedics ', '--json')).code).toBe(0);
    });

    it("an old all-digit name that is also another group's id is ambiguous (exit 2, naming both)", async () => {
      const db = await makeStore({ demo: true }, backend);
      storeSql(db, `UPDATE groups SET name = '3', name_key = '3' WHERE id = 2`);
      const before = storeDigest(db);
      for (const args of [
        ['groups', 'show', '3'],
        ['groups', 'set', '3', '--auto-post', 'on'],
        ['audit', '--group', '3'],
      ]) {
        const result = await run(db, ...args);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/^pops: "3" is both the name of group 2 and the id of group 3;/m);
      }
      expect(storeDigest(db)).toBe(before);
      // Without a group 3, the name is the only reading.
      expect((await run(db, 'groups', 'set', '2', '--name', 'Northshore')).code).toBe(0);
      storeSql(db, `UPDATE groups SET name = '7', name_key = '7' WHERE id = 1`);
      expect(JSON.parse((await run(db, 'groups', 'show', '7', '--json')).stdout).id).toBe(1);
    });

    it('an unknown group is exit 3 with the closest name, when one is close', async () => {
      const db = await makeStore({ demo: true }, backend);
      const close = await run(db, 'groups', 'show', 'Lakeside Pediatric');
      expect(close.code).toBe(3);
      expect(close.stderr).toBe('pops: no such group: "Lakeside Pediatric"\nDid you mean "Lakeside Pediatrics"?\n');
      const typo = await run(db, 'groups', 'set', 'northshore famly medicine', '--auto-post', 'on');
      expect(typo).toMatchObject({ code: 3, stderr: expect.stringContaining('Did you mean "Northshore Family Medicine"?') });
      const far = await run(db, 'groups', 'show', 'Zebra');
      expect(far.code).toBe(3);
      expect(far.stderr).not.toMatch(/did you mean/i);
      expect(far.stderr).toMatch(/pops groups list/);
      const id = await run(db, 'groups', 'show', '99');
      expect(id.code).toBe(3);
      expect(id.stderr).not.toMatch(/did you mean/i);
    });
  });

  describe('groups list shows ids', () => {
    it('as the first column of the table', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await run(db, 'groups', 'list');
      expect(result.stdout).toMatch(/│ Id │ Name\s+│/);
      expect(result.stdout).toMatch(/│ {1,2}1 │ Lakeside Pediatrics\s+│/);
      expect(result.stdout).toMatch(/│ {1,2}3 │ Riverbend Orthopedics\s+│/);
    });

    it('in JSON and CSV too', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await groupsJson(db)).map((g) => g.id)).toEqual([1, 2, 3]);
      expect((await run(db, 'groups', 'list', '--csv')).stdout.split('\n')[1]).toMatch(/^1,Lakeside Pediatrics,/);
    });
  });
});

describe('an older store (schema version 1) is migrated', () => {
  it('keeps every id and account, stores names in NFC, and never hands out an id used before', async () => {
    const db = versionOneStore();
    const groups = await groupsJson(db);
    expect(groups.map((g) => [g.id, g.name, g.accounts])).toEqual([
      [5, 'Café Kids', 1],
      [6, 'Café Kids', 0],
      [2, 'Harbor Clinic', 0],
      [1, 'Lakeside Pediatrics', 0],
    ]);
    expect(groups[0].name).toBe('Caf\u00e9 Kids');
    edit(db, (sqlite) => {
      expect(sqlite.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
      expect(sqlite.prepare('SELECT group_id FROM accounts').pluck().all()).toEqual([5]);
    });
    // Ids up to 9 were handed out once (the audit log remembers 9): the next is 10.
    expect((await run(db, 'groups', 'create', 'Northshore')).stderr).toContain('(id 10)');
  });

  it('keeps the audit rows of a reused id with the group they belonged to', async () => {
    const db = versionOneStore();
    expect((await auditJson(db, '--group', 'Harbor Clinic')).map((r) => [r.action, r.group])).toEqual([['create', 'Harbor Clinic']]);
    expect((await auditJson(db, '--group', '2')).map((r) => [r.action, r.group])).toEqual([['create', 'Harbor Clinic']]);
    // The whole log is still there.
    expect((await auditJson(db)).filter((r) => r.group === 'Old Clinic')).toHaveLength(3);
  });

  it('two groups whose names became the same are both kept; the name is ambiguous, the ids are not', async () => {
    const db = versionOneStore();
    const byName = await run(db, 'groups', 'show', 'café kids');
    expect(byName.code).toBe(2);
    expect(byName.stderr).toMatch(/^pops: "café kids" names more than one group: 5 and 6/m);
    expect((await run(db, 'groups', 'show', '6', '--json')).stdout).toContain('"id": 6');
    // Renaming one of them makes the other's name unique again.
    expect((await run(db, 'groups', 'set', '6', '--name', 'Café Kids North')).code).toBe(0);
    expect(JSON.parse((await run(db, 'groups', 'show', 'CAFÉ KIDS', '--json')).stdout).id).toBe(5);
  });

  it('groups apply refuses a row naming such a shared name, and applies once it is unique again', async () => {
    const db = versionOneStore();
    const input = JSON.stringify([{ name: 'cafe\u0301 kids', autoPost: true }]);
    await run(db, 'groups', 'list'); // migrates the store
    const before = storeDigest(db);
    const refused = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'json'], { input });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^pops: \[0\]\.name: "café kids" names more than one group; rename all but one first/m);
    expect(storeDigest(db)).toBe(before);
    expect((await run(db, 'groups', 'set', '6', '--name', 'Café Kids North')).code).toBe(0);
    const applied = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'json'], { input });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('autoPost: off → on');
    expect(JSON.parse((await run(db, 'groups', 'show', '5', '--json')).stdout).autoPost).toBe(true);
  });
});
