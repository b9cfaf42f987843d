// The queries that read accounts a batch at a time (readAccounts in
// accounts.ts), in each store's dialect: six range queries a batch, the line
// items of a store file as one JSON text (docs/performance.md, "Snapshots").
import type { DB } from './open.js';
import type { Db } from './db.js';
import type { PaymentStatus } from '../domain/account.js';
import type { EncounterStatus } from '../domain/balances.js';
import type { AccountSelection } from './accounts.js';

/** Accounts per batch of readAccounts (`export`). */
export const BATCH_SIZE = 500;

// The accounts of one batch: ids in [@first, @last] that match the selection.
const IN_BATCH = `SELECT id FROM accounts WHERE id BETWEEN @first AND @last
  AND (@group IS NULL OR group_id = @group) AND (@number IS NULL OR account_number = @number)`;

/** One batch of accounts: ids from `first` to `last` that match the selection. */
interface Batch {
  first: number;
  last: number;
}

export type AccountRow = [number, string, string, string, number, number];
type PatientRow = [number, number, string, string, string];
type StatementRow = [number, string, string, number];
type PaymentRow = [number, string, number, string, PaymentStatus];

/** The queries readAccounts makes, in each store's dialect, for one selection. */
interface AccountQueries {
  /** The next accounts after id `after`, in id order, at most BATCH_SIZE. */
  accounts(after: number): AccountRow[];
  /** [account id, its number of line items] of a batch's accounts that have any. */
  lineCounts(batch: Batch): [number, number][];
  patients(batch: Batch): PatientRow[];
  /** In no particular order. */
  lines(batch: Batch): LineRow[];
  encounters(batch: Batch): EncounterRow[];
  statements(batch: Batch): StatementRow[];
  payments(batch: Batch): PaymentRow[];
}

export function sqliteQueries(db: DB, selection: AccountSelection): AccountQueries {
  const group = selection.groupId ?? null;
  const number = selection.accountNumber ?? null;
  const nextAccounts = db
    .prepare(
      `SELECT id, account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents
       FROM accounts WHERE id > @after AND (@group IS NULL OR group_id = @group)
         AND (@number IS NULL OR account_number = @number)
       ORDER BY id LIMIT ${BATCH_SIZE}`,
    )
    .raw();
  const patients = db.prepare(`SELECT account_id, id, patient_key, first_name, last_name FROM patients WHERE account_id IN (${IN_BATCH}) ORDER BY id`).raw();
  // Facilities, providers and agencies are looked up by id (sharedRows), not joined: one shared object per id.
  const encounters = db
    .prepare(
      `SELECT account_id, number, patient_id, service_date, status, sent_to_collections_on, facility_id, provider_id, agency_id
       FROM encounters WHERE account_id IN (${IN_BATCH}) ORDER BY number`,
    )
    .raw();
  // The largest read, the lines, comes as one JSON text per batch: JSON.parse
  // makes its many small values much faster than reading row by row does. In
  // no particular order (an ORDER BY costs a sort): readAccounts puts each
  // encounter's lines in line order.
  const lines = jsonRows<LineRow>(
    db,
    // Texts cast as text: a value another tool stored as a BLOB cannot go into JSON as it is (a store edited by hand).
    `l.encounter_number, l.line, CAST(l.code AS TEXT), CAST(l.description AS TEXT), l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents`,
    `FROM encounters e JOIN lines l ON l.encounter_number = e.number WHERE e.account_id IN (${IN_BATCH})`,
  );
  const statements = db
    .prepare(`SELECT account_id, date, due_date, amount_due_cents FROM statements WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date`)
    .raw();
  const payments = db
    .prepare(`SELECT account_id, date, amount_cents, method, status FROM payments WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date, id`)
    .raw();
  const lineCounts = db
    .prepare(
      `SELECT e.account_id, count(*) FROM encounters e JOIN lines l ON l.encounter_number = e.number WHERE e.account_id IN (${IN_BATCH}) GROUP BY e.account_id`,
    )
    .raw();
  const params = (batch: Batch) => ({ first: batch.first, last: batch.last, group, number });
  return {
    accounts: (after) => nextAccounts.all({ after, group, number }) as AccountRow[],
    lineCounts: (batch) => lineCounts.all(params(batch)) as [number, number][],
    patients: (batch) => patients.all(params(batch)) as PatientRow[],
    lines: (batch) => lines(params(batch)),
    encounters: (batch) => encounters.all(params(batch)) as EncounterRow[],
    statements: (batch) => statements.all(params(batch)) as StatementRow[],
    payments: (batch) => payments.all(params(batch)) as PaymentRow[],
  };
}

/** The same queries on PostgreSQL (its parameters are typed, and repeated where used twice). */
export function postgresQueries(db: Db, selection: AccountSelection): AccountQueries {
  const group = selection.groupId ?? null;
  const number = selection.accountNumber ?? null;
  const selected = '(?::bigint IS NULL OR group_id = ?) AND (?::text IS NULL OR account_number = ?)';
  const inBatch = `SELECT id FROM accounts WHERE id BETWEEN ? AND ? AND ${selected}`;
  const params = (batch: Batch) => [batch.first, batch.last, group, group, number, number];
  const read =
    <Row extends unknown[]>(sql: string) =>
    (batch: Batch) =>
      db.rows<Row>(sql, params(batch));
  return {
    accounts: (after) =>
      db.rows<AccountRow>(
        `SELECT id, account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents
         FROM accounts WHERE id > ? AND ${selected} ORDER BY id LIMIT ${BATCH_SIZE}`,
        [after, group, group, number, number],
      ),
    lineCounts: read(
      `SELECT e.account_id, count(*)::int FROM encounters e JOIN lines l ON l.encounter_number = e.number WHERE e.account_id IN (${inBatch}) GROUP BY e.account_id`,
    ),
    patients: read(`SELECT account_id, id, patient_key, first_name, last_name FROM patients WHERE account_id IN (${inBatch}) ORDER BY id`),
    lines: read(
      `SELECT l.encounter_number, l.line, l.code, l.description, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents
       FROM encounters e JOIN lines l ON l.encounter_number = e.number WHERE e.account_id IN (${inBatch})`,
    ),
    encounters: read(
      `SELECT account_id, number, patient_id, service_date, status, sent_to_collections_on, facility_id, provider_id, agency_id
       FROM encounters WHERE account_id IN (${inBatch}) ORDER BY number`,
    ),
    statements: read(`SELECT account_id, date, due_date, amount_due_cents FROM statements WHERE account_id IN (${inBatch}) ORDER BY account_id, date`),
    payments: read(`SELECT account_id, date, amount_cents, method, status FROM payments WHERE account_id IN (${inBatch}) ORDER BY account_id, date, id`),
  };
}

/**
 * A query for the rows `SELECT <columns> <from>` would give, read as one JSON
 * text (`json_group_array` of `json_array`s) and parsed at once, in no
 * particular order. Texts and numbers come out as row reading gives them
 * (invalid UTF-8 becomes U+FFFD either way).
 */
function jsonRows<Row>(db: DB, columns: string, from: string): (params: object) => Row[] {
  const statement = db.prepare(`SELECT json_group_array(json_array(${columns})) ${from}`).pluck();
  return (params) => JSON.parse(statement.get(params) as string) as Row[];
}

export type LineRow = [number, number, string, string, number, number, number, number];
export type EncounterRow = [number, number, number, string, EncounterStatus, string | null, number, number, number | null];
