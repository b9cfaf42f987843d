// The balance rules (docs/balances.md) as pure functions over plain values. The SQL in
// store/balance-sql.ts computes the same figures for many accounts at once;
// tests hold the two to the same answers.
import type { Cents } from './money.js';
import { compareCodePoints } from '../base/code-points.js';

export type EncounterStatus = 'open' | 'pre-collections' | 'collections';

export interface LineAmounts {
  billed: Cents;
  adjusted: Cents;
  insurancePaid: Cents;
  patientPaid: Cents;
}

export interface EncounterForBalance {
  status: EncounterStatus;
  serviceDate: string;
  lines: LineAmounts[];
}

export interface StatementForBalance {
  date: string;
  amountDue: Cents;
}

export interface PaymentForBalance {
  date: string;
  amount: Cents;
  /** A `declined` payment counts in no figure; absent means paid. */
  status?: 'paid' | 'declined';
}

export interface AccountForBalance {
  encounters: EncounterForBalance[];
  statements: StatementForBalance[];
  payments: PaymentForBalance[];
  unappliedFunds: Cents;
}

/** Every balance figure (docs/balances.md) for one account, seen through one group. */
export interface AccountFigures {
  collectionBalance: Cents;
  preCollectionsBalance: Cents;
  nonCollectionBalance: Cents;
  totalBalance: Cents;
  paymentsSinceStatement: Cents;
  newCharges: Cents;
  amountDue: Cents;
  /** The previous statement's amount due; null with fewer than two statements. */
  lastStatement: Cents | null;
  currentBalance: Cents;
  payableOnline: Cents;
  unappliedFunds: Cents;
}

/** line remaining = billed − adjusted − insurancePaid − patientPaid (negative is a credit). */
export function lineRemaining(line: LineAmounts): Cents {
  return line.billed - line.adjusted - line.insurancePaid - line.patientPaid;
}

/** encounter balance = sum of its lines' remaining. */
export function encounterBalance(encounter: Pick<EncounterForBalance, 'lines'>): Cents {
  let sum = 0;
  for (const line of encounter.lines) sum += lineRemaining(line);
  return sum;
}

export function isCollection(status: EncounterStatus): boolean {
  return status === 'collections';
}

/** S: the statement with the greatest date, or undefined. */
export function latestStatement<T extends StatementForBalance>(statements: readonly T[]): T | undefined {
  return newestTwo(statements)[0];
}

/** P: the statement before S, or undefined with fewer than two statements. */
export function previousStatement<T extends StatementForBalance>(statements: readonly T[]): T | undefined {
  return newestTwo(statements)[1];
}

/**
 * S and P in one pass: the first two of the statements sorted newest first,
 * statements of one date in input order (the first of them is S), without
 * sorting or copying them.
 */
function newestTwo<T extends StatementForBalance>(statements: readonly T[]): [T | undefined, T | undefined] {
  let latest: T | undefined;
  let previous: T | undefined;
  for (const s of statements) {
    if (latest === undefined) latest = s;
    else if (s.date > latest.date) {
      previous = latest;
      latest = s;
    } else if (previous === undefined || s.date > previous.date) previous = s;
  }
  return [latest, previous];
}

/** payments since statement: paid payments dated after S (all paid payments without S); declined ones count in nothing. */
export function paymentsSinceStatement(payments: readonly PaymentForBalance[], latest: StatementForBalance | undefined): Cents {
  let sum = 0;
  for (const p of payments) if (p.status !== 'declined' && (latest === undefined || p.date > latest.date)) sum += p.amount;
  return sum;
}

/** new charges: balances of non-collection encounters served after S (all of them without S). */
export function newCharges(encounters: readonly EncounterForBalance[], latest: StatementForBalance | undefined): Cents {
  let sum = 0;
  for (const e of encounters) if (!isCollection(e.status) && (latest === undefined || e.serviceDate > latest.date)) sum += encounterBalance(e);
  return sum;
}

export interface AmountDueInput {
  /** S.amountDue, or null when the account has no statement. */
  latestAmountDue: Cents | null;
  paymentsSinceStatement: Cents;
  newCharges: Cents;
  includeNewCharges: boolean;
}

/**
 * amount due = max(0, S.amountDue − payments since S), plus max(0, new charges)
 * when the group includes new charges; with no S, max(0, new charges) when it
 * does, else 0.
 */
export function amountDue(input: AmountDueInput): Cents {
  const charges = input.includeNewCharges ? Math.max(0, input.newCharges) : 0;
  if (input.latestAmountDue === null) return charges;
  return Math.max(0, input.latestAmountDue - input.paymentsSinceStatement) + charges;
}

/** payable online = max(0, non-collection balance): collection balances are never payable online. */
export function payableOnline(nonCollectionBalance: Cents): Cents {
  return Math.max(0, nonCollectionBalance);
}

export function accountFigures(account: AccountForBalance, includeNewCharges: boolean): AccountFigures {
  let collectionBalance = 0;
  let preCollectionsBalance = 0;
  let nonCollectionBalance = 0;
  for (const encounter of account.encounters) {
    const balance = encounterBalance(encounter);
    if (encounter.status === 'collections') collectionBalance += balance;
    else nonCollectionBalance += balance;
    if (encounter.status === 'pre-collections') preCollectionsBalance += balance;
  }
  const [latest, previous] = newestTwo(account.statements);
  const payments = paymentsSinceStatement(account.payments, latest);
  const charges = newCharges(account.encounters, latest);
  return {
    collectionBalance,
    preCollectionsBalance,
    nonCollectionBalance,
    totalBalance: collectionBalance + nonCollectionBalance,
    paymentsSinceStatement: payments,
    newCharges: charges,
    amountDue: amountDue({ latestAmountDue: latest?.amountDue ?? null, paymentsSinceStatement: payments, newCharges: charges, includeNewCharges }),
    lastStatement: previous?.amountDue ?? null,
    currentBalance: nonCollectionBalance,
    payableOnline: payableOnline(nonCollectionBalance),
    unappliedFunds: account.unappliedFunds,
  };
}

/** The figures a store keeps beside each account (`account_figures`, docs/performance.md "accounts list"), by the rules above. */
export type StoredFigures = Pick<
  AccountFigureRow,
  | 'accountNumber'
  | 'collectionBalance'
  | 'preCollectionsBalance'
  | 'nonCollectionBalance'
  | 'totalBalance'
  | 'newCharges'
  | 'encountersInCollections'
  | 'latestStatementDate'
  | 'latestAmountDue'
  | 'previousAmountDue'
  | 'paymentsSinceStatement'
  | 'collectionAgencies'
>;

/** An account's stored figures computed from its records (`doctor` compares them with what the store keeps). */
export function storedFiguresOf(
  account: Omit<AccountForBalance, 'encounters'> & { accountNumber: string; encounters: (EncounterForBalance & { agency: { name: string } | null })[] },
): StoredFigures {
  const figures = accountFigures(account, false);
  const [latest, previous] = newestTwo(account.statements);
  const inCollections = account.encounters.filter((encounter) => encounter.status === 'collections');
  const agencies = [...new Set(inCollections.flatMap((encounter) => (encounter.agency === null ? [] : [encounter.agency.name])))];
  // Code-point order, as SQLite's (and PostgreSQL's COLLATE "C") ORDER BY gives it.
  agencies.sort(compareCodePoints);
  return {
    accountNumber: account.accountNumber,
    collectionBalance: figures.collectionBalance,
    preCollectionsBalance: figures.preCollectionsBalance,
    nonCollectionBalance: figures.nonCollectionBalance,
    totalBalance: figures.totalBalance,
    newCharges: figures.newCharges,
    encountersInCollections: inCollections.length,
    latestStatementDate: latest?.date ?? null,
    latestAmountDue: latest?.amountDue ?? null,
    previousAmountDue: previous?.amountDue ?? null,
    paymentsSinceStatement: figures.paymentsSinceStatement,
    collectionAgencies: JSON.stringify(agencies),
  };
}

/** One row per account, as store/balance-sql.ts computes it for many accounts at once (money in cents). */
export interface AccountFigureRow {
  id: number;
  accountNumber: string;
  guarantorFirstName: string;
  guarantorLastName: string;
  groupId: number;
  /** Null when the account's group row is missing (an inconsistent store). */
  groupName: string | null;
  includeNewCharges: number;
  unappliedFunds: number;
  collectionBalance: number;
  preCollectionsBalance: number;
  nonCollectionBalance: number;
  totalBalance: number;
  newCharges: number;
  encountersInCollections: number;
  latestStatementDate: string | null;
  latestAmountDue: number | null;
  previousAmountDue: number | null;
  paymentsSinceStatement: number;
  /** JSON array of the distinct agency names of `collections` encounters, in code-point order. */
  collectionAgencies: string;
}

/** Amount due from a figures row, by the same pure rule as the preview. */
export function amountDueOf(row: AccountFigureRow, includeNewCharges = row.includeNewCharges === 1): number {
  return amountDue({
    latestAmountDue: row.latestAmountDue,
    paymentsSinceStatement: row.paymentsSinceStatement,
    newCharges: row.newCharges,
    includeNewCharges,
  });
}
