// The rows of `accounts list` (docs/commands.md) in their three forms: table cells,
// CSV cells, and JSON objects. Field order is the same in CSV and JSON.
import { formatMoney, formatMoneyPlain, type Cents } from '../domain/money.js';
import { amountDueOf, type AccountFigureRow } from '../domain/balances.js';
import { jsonString, type Cell } from './output.js';
import { sanitize } from '../base/sanitize.js';

/** One listed account, money in cents. */
export interface AccountListItem {
  accountNumber: string;
  /** "Last, First", as stored (JSON escapes what it must). */
  guarantor: string;
  /**
   * "Last, First" for a table or CSV cell: each name sanitized before they are
   * joined, so an escape sequence at the end of one cannot swallow the ", ".
   */
  guarantorDisplay: string;
  group: string;
  nonCollectionBalance: Cents;
  collectionBalance: Cents;
  totalBalance: Cents;
  preCollectionsBalance: Cents;
  amountDue: Cents;
  unappliedFunds: Cents;
  /** Distinct agency names of `collections` encounters, in code-point order. */
  collectionAgencies: string[];
  encountersInCollections: number;
}

/** A person (guarantor, patient) as lists show them: "Last, First". */
export function nameLastFirst(firstName: string, lastName: string): string {
  return `${lastName}, ${firstName}`;
}

/**
 * How lists and `accounts show` name a group whose row is missing from the
 * store (an inconsistent store that `pops doctor` reports; docs/store.md).
 */
export function missingGroupLabel(groupId: number): string {
  return `(missing group ${groupId})`;
}

/** The warning of a list that shows accounts whose group row is missing. */
export function missingGroupWarning(accounts: number): string {
  return `${accounts} account${accounts === 1 ? ' belongs' : 's belong'} to a group that does not exist: the store is inconsistent; run \`pops doctor\``;
}

/** A figures row as a list item; amount due through the account's own group. */
export function accountListItem(row: AccountFigureRow): AccountListItem {
  return {
    accountNumber: row.accountNumber,
    guarantor: nameLastFirst(row.guarantorFirstName, row.guarantorLastName),
    guarantorDisplay: nameLastFirst(sanitize(row.guarantorFirstName), sanitize(row.guarantorLastName)),
    group: row.groupName ?? missingGroupLabel(row.groupId),
    nonCollectionBalance: row.nonCollectionBalance,
    collectionBalance: row.collectionBalance,
    totalBalance: row.totalBalance,
    preCollectionsBalance: row.preCollectionsBalance,
    amountDue: amountDueOf(row),
    unappliedFunds: row.unappliedFunds,
    collectionAgencies: row.collectionAgencies === '[]' ? [] : (JSON.parse(row.collectionAgencies) as string[]),
    encountersInCollections: row.encountersInCollections,
  };
}

export const ACCOUNT_TABLE_HEAD = ['Account', 'Guarantor', 'Group', 'Non-Collection', 'Collection', 'Total'] as const;
/** The money columns of the table, right-aligned. */
export const ACCOUNT_TABLE_MONEY_COLUMNS = [3, 4, 5] as const;

export function accountTableCells(item: AccountListItem): Cell[] {
  return [
    item.accountNumber,
    item.guarantorDisplay,
    item.group,
    formatMoney(item.nonCollectionBalance),
    formatMoney(item.collectionBalance),
    formatMoney(item.totalBalance),
  ];
}

export const ACCOUNT_FIELDS = [
  'accountNumber',
  'guarantor',
  'group',
  'nonCollectionBalance',
  'collectionBalance',
  'totalBalance',
  'preCollectionsBalance',
  'amountDue',
  'unappliedFunds',
  'collectionAgencies',
  'encountersInCollections',
] as const;

/** The JSON object of one account (money as two-decimal strings). */
export function accountJsonObject(item: AccountListItem): Record<(typeof ACCOUNT_FIELDS)[number], string | number | string[]> {
  return {
    accountNumber: item.accountNumber,
    guarantor: item.guarantor,
    group: item.group,
    nonCollectionBalance: formatMoneyPlain(item.nonCollectionBalance),
    collectionBalance: formatMoneyPlain(item.collectionBalance),
    totalBalance: formatMoneyPlain(item.totalBalance),
    preCollectionsBalance: formatMoneyPlain(item.preCollectionsBalance),
    amountDue: formatMoneyPlain(item.amountDue),
    unappliedFunds: formatMoneyPlain(item.unappliedFunds),
    collectionAgencies: item.collectionAgencies,
    encountersInCollections: item.encountersInCollections,
  };
}

/**
 * The JSON of one account as an element of the streamed `--all` array: the
 * text nestedJsonText(accountJsonObject(item)) gives, written field by field
 * (a hundred thousand rows, docs/performance.md "accounts list").
 */
export function accountJsonElement(item: AccountListItem): string {
  const agencies = item.collectionAgencies.length === 0 ? '[]' : `[\n      ${item.collectionAgencies.map((name) => jsonString(name)).join(',\n      ')}\n    ]`;
  return `{
    "accountNumber": ${jsonString(item.accountNumber)},
    "guarantor": ${jsonString(item.guarantor)},
    "group": ${jsonString(item.group)},
    "nonCollectionBalance": "${formatMoneyPlain(item.nonCollectionBalance)}",
    "collectionBalance": "${formatMoneyPlain(item.collectionBalance)}",
    "totalBalance": "${formatMoneyPlain(item.totalBalance)}",
    "preCollectionsBalance": "${formatMoneyPlain(item.preCollectionsBalance)}",
    "amountDue": "${formatMoneyPlain(item.amountDue)}",
    "unappliedFunds": "${formatMoneyPlain(item.unappliedFunds)}",
    "collectionAgencies": ${agencies},
    "encountersInCollections": ${item.encountersInCollections}
  }`;
}

const ACCOUNT_PLAIN_FIELDS: ReadonlySet<string> = new Set([
  'nonCollectionBalance',
  'collectionBalance',
  'totalBalance',
  'preCollectionsBalance',
  'amountDue',
  'unappliedFunds',
  'encountersInCollections',
]);
/** The money and number columns of the CSV: never prefixed against formulas (`-12.00` stays as it is). */
export const ACCOUNT_CSV_PLAIN_COLUMNS: readonly number[] = ACCOUNT_FIELDS.flatMap((field, i) => (ACCOUNT_PLAIN_FIELDS.has(field) ? [i] : []));

/** CSV cells in ACCOUNT_FIELDS order; agencies joined by "; ". */
export function accountCsvCells(item: AccountListItem): Cell[] {
  const json = accountJsonObject(item);
  return ACCOUNT_FIELDS.map((field) => {
    if (field === 'guarantor') return item.guarantorDisplay;
    const value = json[field];
    // Each agency name is sanitized before the join, for the same reason as the guarantor.
    return Array.isArray(value) ? value.map((name) => sanitize(name)).join('; ') : value;
  });
}
