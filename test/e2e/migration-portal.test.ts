// Migration 3 (docs/store.md, "Schema and migrations"): a store made by an
// earlier pops (schema version 2) gains the v2 settings at their defaults and
// payment status `paid`, keeps every id and its id counter, and renders
// byte-identical Account pages.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sql as initialSchema } from '../../src/store/migrations/001-initial.js';
import * as groupIdentity from '../../src/store/migrations/002-group-identity.js';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.js';
import { demoDump, makeStore, pops, tempDir } from '../helpers/cli.js';
import { V2_DEFAULTS_JSON } from '../helpers/dumps.js';

const V1_GROUP_COLUMNS = `id, name, name_key, show_collections, footer_phone, footer_email, footer_text, landing_page, account_dashboard,
  include_new_charges, credit_card, apple_pay, google_pay, store_payment_methods, auto_post, require_cvv, logo_url`;

/**
 * The same data as `source` (a current store) in a store at schema version 2,
 * as the previous pops left it: built with migrations 1 and 2 only, rows
 * copied without the v2 columns, and the groups' id counter set past ids used before.
 */
function versionTwoCopy(source: string, idCounter: number): string {
  const db = path.join(tempDir(), 'v2.db');
  const sqlite = new Database(db);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec(initialSchema);
    for (const [name, fn] of Object.entries(groupIdentity.functions)) sqlite.function(name, { deterministic: true }, fn);
    sqlite.exec(groupIdentity.sql);
    sqlite.prepare('ATTACH DATABASE ? AS src').run(source);
    sqlite.exec(`
      INSERT INTO groups (${V1_GROUP_COLUMNS}) SELECT ${V1_GROUP_COLUMNS} FROM src.groups;
      INSERT INTO collection_agencies SELECT * FROM src.collection_agencies;
      INSERT INTO facilities SELECT * FROM src.facilities;
      INSERT INTO providers SELECT * FROM src.providers;
      INSERT INTO accounts SELECT * FROM src.accounts;
      INSERT INTO patients SELECT * FROM src.patients;
      INSERT INTO encounters SELECT * FROM src.encounters;
      INSERT INTO lines SELECT * FROM src.lines;
      INSERT INTO statements SELECT * FROM src.statements;
      INSERT INTO payments (id, account_id, date, amount_cents, method) SELECT id, account_id, date, amount_cents, method FROM src.payments;
      INSERT INTO audit_log SELECT * FROM src.audit_log;
    `);
    sqlite.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'groups'").run(idCounter);
    sqlite.exec('DETACH DATABASE src');
    sqlite.pragma('user_version = 2');
  } finally {
    sqlite.close();
  }
  return db;
}

const V1_SETTINGS = new Set([
  'name',
  'showCollections',
  'footerPhone',
  'footerEmail',
  'footerText',
  'landingPage',
  'accountDashboard',
  'includeNewCharges',
  'creditCard',
  'applePay',
  'googlePay',
  'storePaymentMethods',
  'autoPost',
  'requireCvv',
  'logoUrl',
]);

/** A current store holding the demo data as the previous pops knew it: v1 settings only, no declined payments. */
async function v1DemoStore(): Promise<string> {
  const dump = demoDump();
  dump.groups = dump.groups.map((g: any) => ({
    ...Object.fromEntries(Object.entries(g).filter(([key]) => V1_SETTINGS.has(key))),
    landingPage: g.landingPage === 'pay' ? 'home' : g.landingPage,
  }));
  for (const a of dump.accounts) a.payments = a.payments.filter((p: any) => p.status !== 'declined').map(({ status: _status, ...p }: any) => p);
  return makeStore({ dump });
}

describe('a store of schema version 2 is migrated (migration 3 and on)', () => {
  it('renders every Account page byte-identical to a store made by this version', async () => {
    const current = await v1DemoStore();
    const folder = path.join(tempDir(), 'snapshots');
    expect((await pops(['--db', current, 'preview', '--all', '--out', folder])).code).toBe(0);
    const old = versionTwoCopy(current, 3);
    const checked = await pops(['--db', old, 'preview', '--all', '--check', folder]);
    expect(checked.stdout).toMatch(/^0 changed, 0 new, 0 missing, \d+ unchanged\n$/);
    expect(checked.code).toBe(0);
    const sqlite = new Database(old, { readonly: true });
    expect(sqlite.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    sqlite.close();
  });

  it('gives every group the v2 settings at their defaults and every payment the status paid', async () => {
    const old = versionTwoCopy(await v1DemoStore(), 3);
    const dump = JSON.parse((await pops(['--db', old, 'export'])).stdout);
    for (const group of dump.groups) expect(group).toMatchObject(V2_DEFAULTS_JSON);
    const payments = dump.accounts.flatMap((a: any) => a.payments);
    expect(payments.length).toBeGreaterThan(0);
    expect(new Set(payments.map((p: any) => p.status))).toEqual(new Set(['paid']));
  });

  it('keeps the ids of groups and never hands out an id used before', async () => {
    const current = await v1DemoStore();
    const before = JSON.parse((await pops(['--db', current, 'groups', 'list', '--json'])).stdout).map((g: any) => [g.id, g.name]);
    const old = versionTwoCopy(current, 41);
    expect(JSON.parse((await pops(['--db', old, 'groups', 'list', '--json'])).stdout).map((g: any) => [g.id, g.name])).toEqual(before);
    expect((await pops(['--db', old, 'groups', 'create', 'Northshore Pediatrics'])).stderr).toContain('(id 42)');
  });

  it('accepts the v2 values once migrated (landing page pay, theme colors), which version 2 refused', async () => {
    const old = versionTwoCopy(await v1DemoStore(), 3);
    const set = await pops(['--db', old, 'groups', 'set', '1', '--landing-page', 'pay', '--theme-primary', '#1A73E8', '--logout-function', 'none']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('themePrimary: not set → #1a73e8');
    const shown = JSON.parse((await pops(['--db', old, 'groups', 'show', '1', '--json'])).stdout);
    expect(shown).toMatchObject({ landingPage: 'pay', themePrimary: '#1a73e8', logoutFunction: 'none' });
  });
});
