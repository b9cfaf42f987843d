// The checks behind `pops doctor` (docs/store.md, "doctor"). Each finding is
// one line naming the group, account or encounter; they come in a fixed
// order: the store's integrity, then each group (by name), then accounts and
// encounters (by number). Each check is one query over the whole store.
import { accountFiguresSql, figureDrift, figureSource, STORED_COLUMNS } from './balance-sql.js';
import { amountDue, storedFiguresOf, type AccountFigureRow, type StoredFigures } from '../domain/balances.js';
import { toDb, type Db, type DbLike, type SqliteDb } from './db.js';
import { readAccounts } from './accounts.js';
import { iterateStoredFigures } from './account-list.js';
import type { PgDb } from './pg/pg-db.js';
import { compareCodePoints } from '../base/code-points.js';
import { AA_TEXT_CONTRAST, formatContrast, lowContrastGrounds, LIGHT_TEXT } from '../domain/contrast.js';
import type { Group } from '../domain/group-settings.js';
import { formatMoney } from '../domain/money.js';
import { applePayWithheld, paymentMethodsOffered } from '../domain/portal.js';
import { listGroups } from './groups.js';

export interface Finding {
  kind: 'integrity' | 'foreign-key' | 'figures' | 'config';
  message: string;
}

export function findingsOf(given: DbLike): Finding[] {
  const db = toDb(given);
  const findings: Finding[] = [];
  // A PostgreSQL server checks its own pages and every foreign key as it writes: only a store file is checked here.
  const raw = db.kind === 'sqlite' ? (db as SqliteDb).raw : undefined;
  for (const row of (raw?.pragma('integrity_check') ?? []) as { integrity_check: string }[]) {
    if (row.integrity_check !== 'ok') findings.push({ kind: 'integrity', message: row.integrity_check });
  }
  for (const row of (raw?.pragma('foreign_key_check') ?? []) as { table: string; rowid: number; parent: string }[]) {
    findings.push({ kind: 'foreign-key', message: `${row.table} row ${row.rowid} refers to a missing ${row.parent} row` });
  }
  // The stored figures (docs/performance.md, "accounts list") against the line items they summarize.
  for (const { accountNumber, fields } of raw ? figureDrift(raw) : postgresFigureDrift(db)) {
    findings.push({
      kind: 'figures',
      message:
        fields.length === 0
          ? `account ${accountNumber} has no stored balance figures (the store was changed outside pops); ${
              raw
                ? 'lists compute them from the line items'
                : 'the account lists refuse the store until pops export, then pops import --replace, writes them again'
            }`
          : fields.includes('accountNumber')
            ? `account ${accountNumber}: its stored balance figures were written under another account number (the store was changed outside pops); lists show that number`
            : `account ${accountNumber}: stored ${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'} from its line items, statements and payments (the store was changed outside pops)`,
    });
  }
  for (const group of listGroups(db)) {
    for (const message of groupFindings(group)) findings.push({ kind: 'config', message });
  }
  const orphans = db.column<string>('SELECT account_number FROM accounts WHERE group_id NOT IN (SELECT id FROM groups) ORDER BY account_number');
  for (const number of orphans) findings.push({ kind: 'config', message: `account ${number} belongs to a group that does not exist` });
  for (const message of amountDueAboveBalance(db)) findings.push({ kind: 'config', message });
  const noAgency = db.rows<[number, string]>(
    `SELECT e.number, a.account_number FROM encounters e JOIN accounts a ON a.id = e.account_id
     WHERE e.status = 'collections' AND (e.agency_id IS NULL OR e.agency_id NOT IN (SELECT id FROM collection_agencies)) ORDER BY e.number`,
  );
  for (const [number, accountNumber] of noAgency)
    findings.push({ kind: 'config', message: `encounter ${number} of account ${accountNumber} is in collections without a collection agency` });
  for (const message of collectionsWithNothingOwed(db)) findings.push({ kind: 'config', message });
  return findings;
}

/** What one group's settings get wrong, in the order docs/store.md lists it. */
function groupFindings(group: Group): string[] {
  const name = `group "${group.name}"`;
  const found: string[] = [];
  if (group.showCollections && group.footerPhone === null) found.push(`${name} has Show Collections on but no footer number`);
  if (paymentMethodsOffered(group).length === 0) {
    found.push(
      applePayWithheld(group)
        ? `${name} offers no payment method: Apple Pay, its only one on, is not offered while split payments is on`
        : `${name} has no payment method on (credit card, Apple Pay, Google Pay)`,
    );
  }
  if (group.logoutFunction === 'none') found.push(`${name} has logout function none: the portal shows no Log Out or Close (not recommended)`);
  if (group.landingPage === 'account' && !group.accountDashboard) found.push(`${name} lands on the Account page, but its Account dashboard is off`);
  if (applePayWithheld(group)) found.push(`${name} has Apple Pay on with split payments on: Apple Pay is not offered`);
  for (const low of lowContrastGrounds(group)) {
    const where = low.setting === 'themeBackground' ? 'theme background' : 'theme surface';
    const text = low.textColor === LIGHT_TEXT ? `light text (${low.textColor}, Dark theme on)` : `dark text (${low.textColor})`;
    found.push(`${name} has ${where} ${low.color}: ${text} on it has contrast ${formatContrast(low.ratio)}, below ${AA_TEXT_CONTRAST}:1 (WCAG AA)`);
  }
  return found;
}

/** The figures the amount-due check reads: fewer columns than `accounts list`, so half the work. */
type DueRow = Pick<
  AccountFigureRow,
  'accountNumber' | 'includeNewCharges' | 'latestAmountDue' | 'paymentsSinceStatement' | 'newCharges' | 'nonCollectionBalance'
>;

/**
 * Accounts whose amount due (through their own group, by the rule `accounts
 * list` and the preview use) is more than their current balance: the figures
 * of every account in one query, rows read one at a time. An account in
 * credit with nothing due is fine (amount due is never below zero).
 */
function amountDueAboveBalance(db: Db): string[] {
  const rows: Iterable<DueRow> =
    db.kind === 'sqlite'
      ? ((db as SqliteDb).raw
          .prepare(
            `SELECT f.accountNumber, f.includeNewCharges, f.latestAmountDue, f.paymentsSinceStatement, f.newCharges, f.nonCollectionBalance
             FROM (${accountFiguresSql({ kind: 'all' }, figureSource((db as SqliteDb).raw))}) AS f ORDER BY f.accountNumber`,
          )
          .iterate() as IterableIterator<DueRow>)
      : iterateStoredFigures(db as PgDb);
  const found: string[] = [];
  for (const row of rows) {
    const due = amountDue({
      latestAmountDue: row.latestAmountDue,
      paymentsSinceStatement: row.paymentsSinceStatement,
      newCharges: row.newCharges,
      includeNewCharges: row.includeNewCharges === 1,
    });
    // Current balance is the non-collection balance (docs/balances.md).
    if (due > 0 && due > row.nonCollectionBalance) {
      found.push(
        `account ${row.accountNumber} has an amount due of ${formatMoney(due)}, more than its current balance of ${formatMoney(row.nonCollectionBalance)}`,
      );
    }
  }
  return found;
}

/** Encounters in collections whose balance (the sum of their lines' remaining, docs/balances.md) is zero or less. */
function collectionsWithNothingOwed(db: Db): string[] {
  // (CAST: PostgreSQL's sum of bigints is a numeric, which would come back as a text.)
  const balance = 'CAST(COALESCE(SUM(l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents), 0) AS BIGINT)';
  const rows = db.rows<[number, string, number]>(
    `SELECT e.number, a.account_number, ${balance}
     FROM encounters e JOIN accounts a ON a.id = e.account_id LEFT JOIN lines l ON l.encounter_number = e.number
     WHERE e.status = 'collections'
     GROUP BY e.number, a.account_number HAVING ${balance} <= 0 ORDER BY e.number`,
  );
  return rows.map(
    ([number, accountNumber, owed]) => `encounter ${number} of account ${accountNumber} is in collections with a balance of ${formatMoney(owed)}`,
  );
}

/**
 * figureDrift on PostgreSQL: each account's figures computed here from its
 * records (storedFiguresOf, the rules of docs/balances.md) against those the
 * store keeps, in account-number order.
 */
function postgresFigureDrift(db: Db): { accountNumber: string; fields: string[] }[] {
  const stored = new Map(
    db
      .rows<[number, ...unknown[]]>(`SELECT account_id, ${STORED_COLUMNS.map(([column]) => column).join(', ')} FROM account_figures`)
      .map(([id, ...values]) => [id, values]),
  );
  const drift: { accountNumber: string; fields: string[] }[] = [];
  for (const account of readAccounts(db, { maxLinesPerBatch: 20_000 })) {
    const kept = stored.get(account.id);
    if (kept === undefined) {
      drift.push({ accountNumber: account.accountNumber, fields: [] });
      continue;
    }
    const expected = storedFiguresOf(account);
    // The agencies are compared as lists: the same names may be written as JSON in more than one way.
    const same = (field: string, i: number) =>
      field === 'collectionAgencies'
        ? JSON.stringify(JSON.parse(kept[i] as string)) === expected.collectionAgencies
        : kept[i] === expected[field as keyof StoredFigures];
    const fields = STORED_COLUMNS.map(([, field]) => field).filter((field, i) => !same(field, i));
    if (fields.length > 0) drift.push({ accountNumber: account.accountNumber, fields });
  }
  return drift.sort((a, b) => compareCodePoints(a.accountNumber, b.accountNumber));
}
