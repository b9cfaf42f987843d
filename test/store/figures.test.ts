// The balance rules are written twice: in SQL for many accounts at once
// (store/balance-sql.ts: accounts list, group counts, doctor) and as pure
// functions for one account (domain/balances.ts: preview, accounts show). The
// SQL figures that do not depend on the group are also stored beside each
// account when it is written (account_figures, docs/performance.md). On
// generated accounts, the stored figures, the SQL computed from the line items
// and the pure rules must agree, through either setting of "include new
// charges", after every kind of write; a store changed behind pops's back is
// caught by doctor and never mislisted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFigures, amountDueOf, type AccountFigureRow } from '../../src/domain/balances.js';
import { readAccounts } from '../../src/store/accounts.js';
import { iterateAccountList, sqliteAccountListSql, type AccountListQuery, type AccountSort } from '../../src/store/account-list.js';
import { accountFiguresSql, figureSource, groupAccountCounts, type FigureSource } from '../../src/store/balance-sql.js';
import { findingsOf } from '../../src/store/doctor.js';
import { importDocument } from '../../src/store/import-run.js';
import { listGroups, updateGroupsSettings } from '../../src/store/groups.js';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.js';
import { openStore, type DB } from '../../src/store/open.js';
import { generateDump } from '../helpers/account-generator.js';

let dir: string;
const stores: DB[] = [];

function newStore(name: string): DB {
  const db = openStore(path.join(dir, `${name}.db`), { create: true }).db;
  stores.push(db);
  return db;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pops-figures-'));
});

afterAll(() => {
  for (const db of stores) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The figures rows of every account from `source`, by account number. */
function figureRows(db: DB, source: FigureSource): Map<string, AccountFigureRow> {
  const rows = db.prepare(`SELECT * FROM (${accountFiguresSql({ kind: 'all' }, source)})`).all() as AccountFigureRow[];
  return new Map(rows.map((row) => [row.accountNumber, row]));
}

/** Every figure of every account from `source` equals the pure rules'; returns how many accounts were compared. */
function expectAgreement(db: DB, source: FigureSource, includeNewCharges?: boolean): number {
  const rows = figureRows(db, source);
  const groups = new Map(listGroups(db).map((g) => [g.id, g]));
  let compared = 0;
  for (const account of readAccounts(db)) {
    const row = rows.get(account.accountNumber);
    expect(row, `account ${account.accountNumber} from ${source}`).toBeDefined();
    const withCharges = includeNewCharges ?? groups.get(account.groupId)!.includeNewCharges;
    const pure = accountFigures(account, withCharges);
    const inCollections = account.encounters.filter((e) => e.status === 'collections');
    expect({
      collection: row!.collectionBalance,
      preCollections: row!.preCollectionsBalance,
      nonCollection: row!.nonCollectionBalance,
      total: row!.totalBalance,
      newCharges: row!.newCharges,
      paymentsSinceStatement: row!.paymentsSinceStatement,
      amountDue: includeNewCharges === undefined ? amountDueOf(row!) : amountDueOf(row!, includeNewCharges),
      lastStatement: row!.previousAmountDue,
      unappliedFunds: row!.unappliedFunds,
      encountersInCollections: row!.encountersInCollections,
      agencies: JSON.parse(row!.collectionAgencies),
    }).toEqual({
      collection: pure.collectionBalance,
      preCollections: pure.preCollectionsBalance,
      nonCollection: pure.nonCollectionBalance,
      total: pure.totalBalance,
      newCharges: pure.newCharges,
      paymentsSinceStatement: pure.paymentsSinceStatement,
      amountDue: pure.amountDue,
      lastStatement: pure.lastStatement,
      unappliedFunds: pure.unappliedFunds,
      encountersInCollections: inCollections.length,
      agencies: [...new Set(inCollections.map((e) => e.agency!.name))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    });
    compared += 1;
  }
  expect(rows.size).toBe(compared);
  return compared;
}

/** A second generated dump that fits beside the first: other account and encounter numbers, the store's groups. */
function laterDump(seed: number, count: number): Record<string, any> {
  const dump = generateDump(seed, count) as Record<string, any>;
  dump.groups = [];
  for (const account of dump.accounts) {
    account.accountNumber = `N${account.accountNumber}`;
    for (const encounter of account.encounters) encounter.number += 1_000_000;
  }
  return dump;
}

describe('stored figures, SQL figures and the pure rules', () => {
  let db: DB;
  beforeAll(() => {
    db = newStore('imported');
    importDocument(db, generateDump(20261201, 400), { replace: false, actor: 'tester' });
  });

  it('import stores the figures of every account it writes, and lists read them', () => {
    expect(figureSource(db)).toBe('stored');
    expect([...iterateAccountList(db, { sort: 'account' })]).toHaveLength(400);
  });

  it.each([false, true])('agree on every figure of every account, stored or computed (include new charges: %s)', (includeNewCharges) => {
    expect(expectAgreement(db, 'stored', includeNewCharges)).toBe(400);
    expect(expectAgreement(db, 'computed', includeNewCharges)).toBe(400);
  });

  it('count, per group, the accounts whose collection balance is above zero', () => {
    const expected = new Map<number, { accounts: number; accountsInCollections: number }>();
    for (const account of readAccounts(db)) {
      const counts = expected.get(account.groupId) ?? { accounts: 0, accountsInCollections: 0 };
      counts.accounts += 1;
      if (accountFigures(account, false).collectionBalance > 0) counts.accountsInCollections += 1;
      expected.set(account.groupId, counts);
    }
    const counted = groupAccountCounts(db);
    for (const group of listGroups(db)) expect(counted.get(group.id)).toEqual(expected.get(group.id));
    expect([...expected.values()].some((c) => c.accountsInCollections > 0)).toBe(true);
  });

  it('a second import adds the figures of its own accounts and leaves the others as they were', () => {
    const before = figureRows(db, 'stored');
    importDocument(db, laterDump(7, 150), { replace: false, actor: 'tester' });
    expect(figureSource(db)).toBe('stored');
    expect(expectAgreement(db, 'stored')).toBe(550);
    const after = figureRows(db, 'stored');
    for (const [number, row] of before) expect(after.get(number)).toEqual(row);
  });

  it('a change of a group setting (include new charges) shows in the amount due at once: it is applied when read', () => {
    const group = listGroups(db).find((g) => !g.includeNewCharges)!;
    updateGroupsSettings(db, ['includeNewCharges'], [{ id: group.id, values: [true] }]);
    expect(expectAgreement(db, 'stored')).toBe(550);
    updateGroupsSettings(db, ['includeNewCharges'], [{ id: group.id, values: [false] }]);
    expect(expectAgreement(db, 'stored')).toBe(550);
  });

  it('import --replace stores the figures of the new content only', () => {
    const replaced = newStore('replaced');
    importDocument(replaced, generateDump(1, 120), { replace: false, actor: 'tester' });
    importDocument(replaced, generateDump(2, 90), { replace: true, actor: 'tester' });
    expect(replaced.prepare('SELECT count(*) FROM account_figures').pluck().get()).toBe(90);
    expect(expectAgreement(replaced, 'stored')).toBe(90);
  });

  it('a store from before the stored figures (schema version 3) gets them when it is migrated', () => {
    const file = path.join(dir, 'older.db');
    const older = openStore(file, { create: true }).db;
    importDocument(older, generateDump(3, 120), { replace: false, actor: 'tester' });
    older.exec('DROP TABLE account_figures');
    older.pragma('user_version = 3');
    older.close();
    const migrated = openStore(file).db;
    stores.push(migrated);
    expect(figureSource(migrated)).toBe('stored');
    expect(expectAgreement(migrated, 'stored')).toBe(120);
  });

  it('a list sorted by money reads one index of the stored figures and no row of their table (migration 5), with or without filters', () => {
    const db = newStore('plans');
    importDocument(db, generateDump(5, 40), { replace: false, actor: 'tester' });
    const plan = (query: AccountListQuery) => {
      const { sql, params } = sqliteAccountListSql(db, query);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail);
    };
    const indexOf = { total: 'account_figures_by_total', collection: 'account_figures_by_collection', 'non-collection': 'account_figures_by_non_collection' };
    for (const [sort, index] of Object.entries(indexOf) as [AccountSort, string][]) {
      // (A group's accounts are found by the accounts' group index and sorted: SQLite's choice, cheaper for one group.)
      for (const filters of [{}, { limit: 10 }, { inCollections: true }, { minTotalCents: 10_000 }, { search: 'a' }]) {
        const steps = plan({ sort, ...filters });
        expect(
          steps.some((step) => step.startsWith(`SCAN f USING COVERING INDEX ${index}`) || step.startsWith(`SEARCH f USING COVERING INDEX ${index} `)),
          `--sort ${sort} ${JSON.stringify(filters)}: ${steps.join('; ')}`,
        ).toBe(true);
        expect(steps.join('\n')).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it('a store of schema version 4 gets the covering indexes when migrated, and lists every sort exactly as before', () => {
    const file = path.join(dir, 'version-4.db');
    const older = openStore(file, { create: true }).db;
    importDocument(older, generateDump(6, 150), { replace: false, actor: 'tester' });
    // The indexes as migration 4 made them.
    older.exec(`
      DROP INDEX account_figures_by_total; DROP INDEX account_figures_by_collection; DROP INDEX account_figures_by_non_collection;
      CREATE INDEX account_figures_by_total ON account_figures (total_cents DESC, account_number);
      CREATE INDEX account_figures_by_collection ON account_figures (collection_cents DESC, account_number);
      CREATE INDEX account_figures_by_non_collection ON account_figures (non_collection_cents DESC, account_number);`);
    older.pragma('user_version = 4');
    const sorts: AccountSort[] = ['account', 'name', 'collection', 'non-collection', 'total'];
    const listed = (db: DB) => sorts.map((sort) => JSON.stringify([...iterateAccountList(db, { sort })]));
    const before = listed(older);
    const narrow = older.prepare("SELECT sql FROM sqlite_master WHERE name = 'account_figures_by_total'").pluck().get() as string;
    older.close();
    const migrated = openStore(file).db;
    stores.push(migrated);
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const covering = migrated.prepare("SELECT sql FROM sqlite_master WHERE name = 'account_figures_by_total'").pluck().get() as string;
    expect(narrow).not.toMatch(/collection_agencies/);
    expect(covering).toMatch(/collection_agencies/);
    expect(listed(migrated)).toEqual(before);
    expect(expectAgreement(migrated, 'stored')).toBe(150);
  });
});

describe('a store changed behind pops', () => {
  it('doctor reports stored figures that no longer match the line items, naming the account and the figures', () => {
    const db = newStore('edited');
    importDocument(db, generateDump(11, 60), { replace: false, actor: 'tester' });
    expect(findingsOf(db).filter((f) => f.kind === 'figures')).toEqual([]);
    const { number, account_number: accountNumber } = db
      .prepare(
        `SELECT e.number, a.account_number FROM encounters e JOIN accounts a ON a.id = e.account_id WHERE e.status = 'open' AND EXISTS (SELECT 1 FROM lines l WHERE l.encounter_number = e.number) ORDER BY e.number LIMIT 1`,
      )
      .get() as { number: number; account_number: string };
    db.prepare(
      'UPDATE lines SET billed_cents = billed_cents + 1234 WHERE encounter_number = ? AND line = (SELECT min(line) FROM lines WHERE encounter_number = ?)',
    ).run(number, number);
    const drift = findingsOf(db).filter((f) => f.kind === 'figures');
    expect(drift).toHaveLength(1);
    expect(drift[0].message).toMatch(
      new RegExp(`^account ${accountNumber}: stored nonCollectionBalance, totalBalance(, newCharges)? differ from its line items`),
    );
  });

  it('an account without its stored row is listed from the line items (not dropped, not zero), and doctor says so', () => {
    const db = newStore('missing-row');
    importDocument(db, generateDump(12, 60), { replace: false, actor: 'tester' });
    const victim = db
      .prepare('SELECT a.account_number FROM accounts a JOIN account_figures f ON f.account_id = a.id WHERE f.non_collection_cents <> 0 LIMIT 1')
      .pluck()
      .get() as string;
    db.prepare('DELETE FROM account_figures WHERE account_id = (SELECT id FROM accounts WHERE account_number = ?)').run(victim);
    expect(figureSource(db)).toBe('computed');
    expect(expectAgreement(db, 'computed')).toBe(60);
    const listed = [...iterateAccountList(db, { sort: 'account' })];
    expect(listed).toHaveLength(60);
    const row = listed.find((r) => r.accountNumber === victim)!;
    const pure = accountFigures([...readAccounts(db, { accountNumber: victim })][0], row.includeNewCharges === 1);
    expect(row.nonCollectionBalance).toBe(pure.nonCollectionBalance);
    expect(
      findingsOf(db)
        .filter((f) => f.kind === 'figures')
        .map((f) => f.message),
    ).toEqual([`account ${victim} has no stored balance figures (the store was changed outside pops); lists compute them from the line items`]);
  });
});

describe('an account number changed behind pops', () => {
  it('doctor says the stored figures carry another number, not that line items changed', () => {
    const db = newStore('renumbered');
    importDocument(db, generateDump(13, 20), { replace: false, actor: 'tester' });
    const before = db.prepare('SELECT account_number FROM accounts ORDER BY id LIMIT 1').pluck().get() as string;
    db.prepare("UPDATE accounts SET account_number = 'X-RENUMBERED' WHERE account_number = ?").run(before);
    expect(
      findingsOf(db)
        .filter((f) => f.kind === 'figures')
        .map((f) => f.message),
    ).toEqual([
      'account X-RENUMBERED: its stored balance figures were written under another account number (the store was changed outside pops); lists show that number',
    ]);
  });
});
