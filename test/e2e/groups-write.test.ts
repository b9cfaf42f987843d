// The group-changing commands on real temporary stores: what they print, what
// they write, what they audit, and that --dry-run writes nothing (SPEC §6).
import { describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { baseDump, V2_DEFAULTS_JSON } from '../helpers/dumps.js';

type Json = any;
const show = async (db: string, group: string): Promise<Json> => JSON.parse((await pops(['--db', db, 'groups', 'show', group, '--json'])).stdout);
async function auditOf(db: string): Promise<Json[]> {
  const result = await pops(['--db', db, 'audit', '--all', '--json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}
/** The audit rows written after the first `before` ones (newest first). */
async function newAudit(db: string, before: number): Promise<Json[]> {
  const rows = await auditOf(db);
  return rows.slice(0, rows.length - before);
}

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('groups create', () => {
    it('creates a group with defaults and the settings given, and audits a create row plus one set row per setting given', async () => {
      const db = await makeStore({}, backend);
      const result = await pops([
        '--db',
        db,
        'groups',
        'create',
        'Harbor Dermatology',
        '--footer-phone',
        '(312) 555-0199',
        '--apple-pay',
        'yes',
        '--landing-page',
        'Account',
      ]);
      expect(result).toMatchObject({ code: 0, stdout: '' });
      expect(result.stderr).toBe('pops: created group "Harbor Dermatology" (id 1)\n');
      expect(await show(db, 'harbor dermatology')).toEqual({
        id: 1,
        name: 'Harbor Dermatology',
        showCollections: false,
        footerPhone: '+13125550199',
        footerEmail: null,
        footerText: null,
        landingPage: 'account',
        accountDashboard: true,
        includeNewCharges: false,
        creditCard: true,
        applePay: true,
        googlePay: false,
        storePaymentMethods: false,
        autoPost: false,
        requireCvv: true,
        logoUrl: null,
        ...V2_DEFAULTS_JSON,
        accounts: 0,
        accountsInCollections: 0,
      });
      // Newest first: the create row is the oldest of the batch (SPEC §13 "Audit").
      const rows = await auditOf(db);
      expect(rows.map((r) => [r.action, r.field, r.from, r.to])).toEqual([
        ['set', 'applePay', false, true],
        ['set', 'landingPage', 'home', 'account'],
        ['set', 'footerPhone', null, '+13125550199'],
        ['create', null, null, null],
      ]);
      expect(rows[3]).toEqual({
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        actor: 'tester',
        action: 'create',
        group: 'Harbor Dermatology',
        field: null,
        from: null,
        to: null,
        batch: rows[0].batch,
      });
    });

    it('an existing name in any case: exit 2, nothing written', async () => {
      const db = await makeStore({ dump: baseDump() }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'create', 'LAKESIDE pediatrics']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: a group named "Lakeside Pediatrics" already exists \(id 1\)\n/);
      expect(storeDigest(db)).toBe(before);
    });

    it('takes SQL-looking names as ordinary names', async () => {
      const db = await makeStore({ dump: baseDump() }, backend);
      const name = "x'); DROP TABLE groups;--";
      expect((await pops(['--db', db, 'groups', 'create', name])).code).toBe(0);
      expect(await show(db, name)).toMatchObject({ id: 2, name });
      expect(JSON.parse((await pops(['--db', db, 'groups', 'list', '--json'])).stdout)).toHaveLength(2);
    });

    it('warns when Show Collections starts on without a footer number', async () => {
      const db = await makeStore({}, backend);
      const result = await pops(['--db', db, 'groups', 'create', 'Harbor', '--show-collections', 'on']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^pops: warning: group "Harbor" has Show Collections on but no footer number/m);
    });
  });

  describe('groups set', () => {
    it('prints each change as `field: old → new`, writes them, and audits them in one batch', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const result = await pops([
        '--db',
        db,
        'groups',
        'set',
        'lakeside pediatrics',
        '--show-collections',
        'off',
        '--footer-phone',
        '773.555.0100 x5',
        '--footer-email',
        '',
        '--apple-pay',
        'on',
      ]);
      expect(result.code).toBe(0);
      // apple pay is already on: not a change.
      expect(result.stdout).toBe(
        'showCollections: on → off\nfooterPhone: (312) 555-0142 → (773) 555-0100 ext. 5\nfooterEmail: billing@lakesidepeds.example.com → not set\n',
      );
      expect(result.stderr).toBe('pops: updated group "Lakeside Pediatrics" (3 changes)\n');
      expect(await show(db, '1')).toMatchObject({ showCollections: false, footerPhone: '+17735550100;ext=5', footerEmail: null, applePay: true });

      const rows = await newAudit(db, before);
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map((r) => r.batch)).size).toBe(1);
      expect(rows.map(({ action, group, field, from, to, actor }) => ({ action, group, field, from, to, actor }))).toEqual([
        { action: 'set', group: 'Lakeside Pediatrics', field: 'footerEmail', from: 'billing@lakesidepeds.example.com', to: null, actor: 'tester' },
        { action: 'set', group: 'Lakeside Pediatrics', field: 'footerPhone', from: '+13125550142', to: '+17735550100;ext=5', actor: 'tester' },
        { action: 'set', group: 'Lakeside Pediatrics', field: 'showCollections', from: true, to: false, actor: 'tester' },
      ]);
    });

    it('--dry-run prints the same plan and writes nothing, audit included', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'set', '2', '--auto-post', 'on', '--footer-text', 'Line 1\nLine 2', '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('footerText: "Call us with billing questions." → "Line 1\\nLine 2"\nautoPost: off → on\n');
      expect(result.stderr).toBe('pops: dry run: nothing was written\n');
      expect(storeDigest(db)).toBe(before);
    });

    it('prints `no changes` when nothing differs, and audits nothing', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops([
        '--db',
        db,
        'groups',
        'set',
        'Riverbend Orthopedics',
        '--show-collections',
        'yes',
        '--footer-phone',
        '',
        '--landing-page',
        'account',
      ]);
      expect(result).toMatchObject({ code: 0, stdout: 'no changes\n' });
      expect(storeDigest(db)).toBe(before);
    });

    it('--name renames (a change of case too), audited as a rename under the old name', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const result = await pops(['--db', db, 'groups', 'set', 'Northshore Family Medicine', '--name', 'Northshore Family Health', '--google-pay', 'off']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('name: "Northshore Family Medicine" → "Northshore Family Health"\ngooglePay: on → off\n');
      const rows = await newAudit(db, before);
      expect(rows.map(({ action, group, field, from, to }) => ({ action, group, field, from, to }))).toEqual([
        { action: 'set', group: 'Northshore Family Health', field: 'googlePay', from: true, to: false },
        { action: 'rename', group: 'Northshore Family Medicine', field: 'name', from: 'Northshore Family Medicine', to: 'Northshore Family Health' },
      ]);
      expect(rows[0].batch).toBe(rows[1].batch);
      expect((await pops(['--db', db, 'groups', 'set', 'northshore family health', '--name', 'NORTHSHORE FAMILY HEALTH'])).stdout).toBe(
        'name: "Northshore Family Health" → "NORTHSHORE FAMILY HEALTH"\n',
      );
    });

    it("renaming onto another group's name, in any case: exit 2, nothing written", async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--name', 'riverbend ORTHOPEDICS', '--auto-post', 'on']);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe('pops: cannot rename to "riverbend ORTHOPEDICS": group "Riverbend Orthopedics" (id 3) already has that name');
      expect(storeDigest(db)).toBe(before);
    });

    it('one run is one batch; two runs are two batches', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      await pops(['--db', db, 'groups', 'set', '1', '--auto-post', 'on', '--google-pay', 'on']);
      await pops(['--db', db, 'groups', 'set', '1', '--auto-post', 'off']);
      const rows = await newAudit(db, before);
      expect(rows).toHaveLength(3);
      expect(rows[0].batch).not.toBe(rows[1].batch);
      expect(rows[1].batch).toBe(rows[2].batch);
    });

    it('warns when a change leaves Show Collections on without a footer number', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--footer-phone', '']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^pops: warning: group "Lakeside Pediatrics" has Show Collections on but no footer number/m);
    });
  });

  describe('groups collections', () => {
    it('without a state prints on or off', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect(await pops(['--db', db, 'groups', 'collections', 'Lakeside Pediatrics'])).toMatchObject({ code: 0, stdout: 'on\n' });
      expect(await pops(['--db', db, 'groups', 'collections', 'northshore family medicine'])).toMatchObject({ code: 0, stdout: 'off\n' });
    });

    it('turning it on reports the accounts that gain a visible Collection Balance panel, and audits the change', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const result = await pops(['--db', db, 'groups', 'collections', 'Northshore Family Medicine', 'on']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('showCollections: off → on\n2 of 12 accounts gain a visible Collection Balance panel\n');
      expect(result.stderr).not.toMatch(/warning/);
      expect(await newAudit(db, before)).toMatchObject([{ action: 'set', field: 'showCollections', from: false, to: true }]);
    });

    it('turning it off reports the accounts that lose the panel', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'collections', '1', 'OFF']);
      expect(result).toMatchObject({ code: 0, stdout: 'showCollections: on → off\n3 of 14 accounts lose a visible Collection Balance panel\n' });
      expect((await show(db, '1')).showCollections).toBe(false);
    });

    it('takes every on/off word the settings take (yes/no, true/false, 1/0)', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect(await pops(['--db', db, 'groups', 'collections', 'Northshore Family Medicine', 'Yes', '--dry-run'])).toMatchObject({
        code: 0,
        stdout: 'showCollections: off → on\n2 of 12 accounts would gain a visible Collection Balance panel\n',
      });
      expect(await pops(['--db', db, 'groups', 'collections', '1', '0'])).toMatchObject({
        code: 0,
        stdout: 'showCollections: on → off\n3 of 14 accounts lose a visible Collection Balance panel\n',
      });
    });

    it('warns when turning it on for a group without a footer number', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'collections', 'Riverbend Orthopedics', 'off']);
      const result = await pops(['--db', db, 'groups', 'collections', 'Riverbend Orthopedics', 'on']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('showCollections: off → on\n2 of 10 accounts gain a visible Collection Balance panel\n');
      expect(result.stderr).toMatch(/^pops: warning: group "Riverbend Orthopedics" has Show Collections on but no footer number/m);
    });

    it('counts no panels when the Account page is off for the group', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'set', '2', '--account-dashboard', 'off']);
      const result = await pops(['--db', db, 'groups', 'collections', '2', 'on']);
      expect(result.stdout).toBe(
        'showCollections: off → on\n0 of 12 accounts gain a visible Collection Balance panel (the Account page is turned off for this group)\n',
      );
    });

    it('already in that state: `no changes`', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      expect(await pops(['--db', db, 'groups', 'collections', '1', 'on'])).toMatchObject({ code: 0, stdout: 'no changes\n' });
      expect(storeDigest(db)).toBe(before);
    });

    it('--dry-run says what would happen and writes nothing', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'collections', '2', 'on', '--dry-run']);
      expect(result).toMatchObject({ code: 0, stdout: 'showCollections: off → on\n2 of 12 accounts would gain a visible Collection Balance panel\n' });
      expect(result.stderr).toBe('pops: dry run: nothing was written\n');
      expect(storeDigest(db)).toBe(before);
    });
  });

  describe('groups footer-number', () => {
    it('without a number prints the display form, or `not set`', async () => {
      const db = await makeStore({ demo: true }, backend);
      expect((await pops(['--db', db, 'groups', 'footer-number', '1'])).stdout).toBe('(312) 555-0142\n');
      expect((await pops(['--db', db, 'groups', 'footer-number', '2'])).stdout).toBe('(773) 555-0188 ext. 12\n');
      expect((await pops(['--db', db, 'groups', 'footer-number', 'Riverbend Orthopedics'])).stdout).toBe('not set\n');
    });

    it('with a number validates, normalizes to E.164, sets and audits it', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const result = await pops(['--db', db, 'groups', 'footer-number', 'Riverbend Orthopedics', '+1 (312) 555-0199 ext. 42']);
      expect(result).toMatchObject({ code: 0, stdout: 'footerPhone: not set → (312) 555-0199 ext. 42\n' });
      expect((await show(db, '3')).footerPhone).toBe('+13125550199;ext=42');
      expect(await newAudit(db, before)).toMatchObject([
        { action: 'set', group: 'Riverbend Orthopedics', field: 'footerPhone', from: null, to: '+13125550199;ext=42' },
      ]);
      expect((await pops(['--db', db, 'groups', 'footer-number', '3', '312-555-0199 x42'])).stdout).toBe('no changes\n');
    });

    it('--clear removes it (with a warning when Show Collections is on)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'footer-number', '1', '--clear']);
      expect(result).toMatchObject({ code: 0, stdout: 'footerPhone: (312) 555-0142 → not set\n' });
      expect(result.stderr).toMatch(/pops: warning: .*no footer number/);
      expect((await show(db, '1')).footerPhone).toBeNull();
    });

    it('--dry-run writes nothing', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      expect(await pops(['--db', db, 'groups', 'footer-number', '2', '312 555 0100', '--dry-run'])).toMatchObject({
        code: 0,
        stdout: 'footerPhone: (773) 555-0188 ext. 12 → (312) 555-0100\n',
      });
      expect((await pops(['--db', db, 'groups', 'footer-number', '2', '--clear', '--dry-run'])).code).toBe(0);
      expect(storeDigest(db)).toBe(before);
    });
  });

  describe('groups delete', () => {
    it('refuses while accounts use the group, naming how many', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'delete', 'Lakeside Pediatrics', '--yes']);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe('pops: group "Lakeside Pediatrics" is used by 14 accounts; it cannot be deleted');
      expect(storeDigest(db)).toBe(before);
    });

    it('without a terminal and without --yes: exit 2, nothing deleted', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'create', 'Old Clinic']);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'delete', 'Old Clinic']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: refusing to delete group "Old Clinic" without confirmation\n.*--yes/);
      expect(storeDigest(db)).toBe(before);
    });

    it('with --yes deletes the group and audits it under its name', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'create', 'Old Clinic']);
      const result = await pops(['--db', db, 'groups', 'delete', 'old clinic', '--yes']);
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'pops: deleted group "Old Clinic" (id 4)\n' });
      expect((await pops(['--db', db, 'groups', 'show', 'Old Clinic'])).code).toBe(3);
      const [deleted, created] = await auditOf(db);
      expect(deleted).toMatchObject({ action: 'delete', group: 'Old Clinic', field: null, from: null, to: null });
      expect(created).toMatchObject({ action: 'create', group: 'Old Clinic' });
      expect(deleted.batch).not.toBe(created.batch);
    });
  });

  describe('an unknown group', () => {
    it.each([
      ['set', ['groups', 'set', 'Nowhere', '--auto-post', 'on']],
      ['collections', ['groups', 'collections', 'Nowhere', 'on']],
      ['collections (show)', ['groups', 'collections', 'Nowhere']],
      ['footer-number', ['groups', 'footer-number', 'Nowhere', '312-555-0142']],
      ['delete', ['groups', 'delete', '99', '--yes']],
      ['audit --group', ['audit', '--group', 'Nowhere']],
    ])('%s: exit 3, nothing written', async (_what, args) => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, ...args]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^pops: no such group: "(Nowhere|99)"\n/);
      expect(storeDigest(db)).toBe(before);
    });
  });
});
