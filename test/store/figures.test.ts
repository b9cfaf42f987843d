// The balance rules are written twice: in SQL for many accounts at once
// (store/balance-sql.ts: accounts list, group counts) and as pure functions
// for one account (domain/balances.ts: preview, accounts show). On generated
// accounts, both must give the same figures, through either setting of
// "include new charges".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFigures, amountDueOf, type AccountFigureRow } from '../../src/domain/balances.js';
import { readAccounts } from '../../src/store/accounts.js';
import { iterateAccountList } from '../../src/store/account-list.js';
import { groupAccountCounts } from '../../src/store/balance-sql.js';
import { importDocument } from '../../src/store/dump.js';
import { listGroups } from '../../src/store/groups.js';
import { openStore, type DB } from '../../src/store/open.js';
import { generateDump } from '../helpers/account-generator.js';

let dir: string;
let db: DB;
let rows: Map<string, AccountFigureRow>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pops-figures-'));
  db = openStore(path.join(dir, 'pops.db'), { create: true }).db;
  importDocument(db, generateDump(20261201, 400), { replace: false, actor: 'tester' });
  rows = new Map([...iterateAccountList(db, { inCollections: false, sort: 'account' })].map((row) => [row.accountNumber, row]));
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQL figures and the pure rules', () => {
  it('list every generated account', () => {
    expect(rows.size).toBe(400);
  });

  it.each([false, true])('agree on every figure of every account (include new charges: %s)', (includeNewCharges) => {
    let compared = 0;
    for (const account of readAccounts(db)) {
      const row = rows.get(account.accountNumber)!;
      const pure = accountFigures(account, includeNewCharges);
      expect({
        collection: row.collectionBalance,
        preCollections: row.preCollectionsBalance,
        nonCollection: row.nonCollectionBalance,
        total: row.totalBalance,
        newCharges: row.newCharges,
        paymentsSinceStatement: row.paymentsSinceStatement,
        amountDue: amountDueOf(row, includeNewCharges),
        lastStatement: row.previousAmountDue,
        unappliedFunds: row.unappliedFunds,
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
      });
      compared += 1;
    }
    expect(compared).toBe(400);
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
});
