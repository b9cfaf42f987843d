// Reading accounts: one loader for one account (`accounts show`, `preview`)
// and the whole store (`export`), a batch of accounts costing six range
// queries, so memory stays flat; facilities, providers and agencies are read
// once per run, one object per row shared by every encounter that refers to
// it. The pages of a snapshot set have their own reader (page-accounts.ts).
import type { DB } from './open.js';
import { toDb, type Db, type DbLike, type SqliteDb } from './db.js';
import type { Account, AccountEncounter, AccountLine, PaymentStatus } from '../domain/account.js';
import type { EncounterStatus } from '../domain/balances.js';
import { NotFoundError } from '../base/errors.js';

/** Accounts per batch of readAccounts (`export`). */
const BATCH_SIZE = 500;

/** Which accounts to read: one by number, one group's, both, else all. */
export interface AccountSelection {
  accountNumber?: string;
  groupId?: number;
  /**
   * Split a batch so that it holds about this many line items at most (an
   * account is never split): memory then stays flat however many line items
   * an account has (`export`, docs/performance.md). Costs one count per batch.
   */
  maxLinesPerBatch?: number;
}

// The accounts of one batch: ids in [@first, @last] that match the selection.
const IN_BATCH = `SELECT id FROM accounts WHERE id BETWEEN @first AND @last
  AND (@group IS NULL OR group_id = @group) AND (@number IS NULL OR account_number = @number)`;

/** A stand-in for the patient of an encounter whose patient row is missing (an inconsistent store, docs/store.md). */
export function missingPatient(id: number): Account['patients'][number] {
  return { id: '', firstName: '', lastName: `(missing patient ${id})` };
}

/** An encounter's own values, in this order, from `offset` on in a row: number, patient, service date, status, sent to collections on, facility, provider, agency. */
type EncounterValues = readonly unknown[];

/**
 * Encounters from their rows, with facilities, providers and agencies by id,
 * each read when first asked for and then one object shared by every
 * encounter that refers to it. A row that refers to a missing row is kept and
 * named by the id it refers to, never dropped (an inconsistent store,
 * docs/store.md; `export` refuses such a store).
 */
export function sharedRows(db: DB) {
  const facilityRow = db.prepare('SELECT code, name FROM facilities WHERE id = ?').raw();
  const providerRow = db.prepare('SELECT code, name FROM providers WHERE id = ?').raw();
  const agencyRow = db.prepare('SELECT code, name, phone FROM collection_agencies WHERE id = ?').raw();
  return encounterMaker({
    facility: (id) => facilityRow.get(id) as [string, string] | undefined,
    provider: (id) => providerRow.get(id) as [string, string] | undefined,
    agency: (id) => agencyRow.get(id) as [string, string, string | null] | undefined,
  });
}

/** Makes encounters from their rows, for either store (on PostgreSQL from the three small tables read whole). */
export function encountersOf(given: DbLike): EncounterMaker {
  const db = toDb(given);
  return db.kind === 'sqlite' ? sharedRows((db as SqliteDb).raw) : encounterMaker(referencedRowsOf(readReferencedTables(db)));
}

/** The rows encounters refer to, by id: a facility's and a provider's code and name, an agency's code, name and phone. */
export interface ReferencedRows {
  facility(id: number): [string, string] | undefined;
  provider(id: number): [string, string] | undefined;
  agency(id: number): [string, string, string | null] | undefined;
}

/** Every facility, provider and agency as [id, …its values in ReferencedRows], to hand to another thread (referencedRowsOf). */
export interface ReferencedTables {
  facilities: [number, string, string][];
  providers: [number, string, string][];
  agencies: [number, string, string, string | null][];
}

export function readReferencedTables(given: DbLike): ReferencedTables {
  const db = toDb(given);
  return {
    facilities: db.rows<ReferencedTables['facilities'][number]>('SELECT id, CAST(code AS TEXT), CAST(name AS TEXT) FROM facilities'),
    providers: db.rows<ReferencedTables['providers'][number]>('SELECT id, CAST(code AS TEXT), CAST(name AS TEXT) FROM providers'),
    agencies: db.rows<ReferencedTables['agencies'][number]>('SELECT id, CAST(code AS TEXT), CAST(name AS TEXT), CAST(phone AS TEXT) FROM collection_agencies'),
  };
}

/** ReferencedRows from tables read whole (readReferencedTables). */
export function referencedRowsOf(tables: ReferencedTables): ReferencedRows {
  const byId = <R extends unknown[]>(rows: [number, ...R][]): Map<number, R> => new Map(rows.map(([id, ...rest]) => [id, rest]));
  const facilities = byId(tables.facilities);
  const providers = byId(tables.providers);
  const agencies = byId(tables.agencies);
  return { facility: (id) => facilities.get(id), provider: (id) => providers.get(id), agency: (id) => agencies.get(id) };
}

/** Makes encounters from their rows (see sharedRows). */
export type EncounterMaker = ReturnType<typeof encounterMaker>;

export function encounterMaker(rows: ReferencedRows) {
  const facilityOf = lookup(
    rows.facility,
    ([code, name]) => ({ code, name }),
    (id) => ({ code: '', name: `(missing facility ${id})` }),
  );
  const providerOf = lookup(
    rows.provider,
    ([code, name]) => ({ code, name }),
    (id) => ({ code: '', name: `(missing provider ${id})` }),
  );
  const agencyOf = lookup<[string, string, string | null], NonNullable<AccountEncounter['agency']>>(
    rows.agency,
    ([code, name, phone]) => ({ code, name, phone }),
    (id) => ({ code: '', name: `(missing agency ${id})`, phone: null }),
  );
  return {
    encounterOf<L>(row: EncounterValues, offset: number, patientById: ReadonlyMap<number, Account['patients'][number]>, lines: L[]) {
      const patientId = row[offset + 1] as number;
      const agencyId = row[offset + 7] as number | null;
      return {
        number: row[offset] as number,
        patient: patientById.get(patientId) ?? missingPatient(patientId),
        facility: facilityOf(row[offset + 5] as number),
        provider: providerOf(row[offset + 6] as number),
        serviceDate: row[offset + 2] as string,
        status: row[offset + 3] as EncounterStatus,
        agency: agencyId === null ? null : agencyOf(agencyId),
        sentToCollectionsOn: row[offset + 4] as string | null,
        lines,
      };
    },
  };
}

/** One batch of accounts: ids from `first` to `last` that match the selection. */
interface Batch {
  first: number;
  last: number;
}

type AccountRow = [number, string, string, string, number, number];
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
  encounterOf: EncounterMaker['encounterOf'];
}

function sqliteQueries(db: DB, selection: AccountSelection): AccountQueries {
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
    encounterOf: sharedRows(db).encounterOf,
  };
}

/** The same queries on PostgreSQL (its parameters are typed, and repeated where used twice). */
function postgresQueries(db: Db, selection: AccountSelection): AccountQueries {
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
    encounterOf: encountersOf(db).encounterOf,
  };
}

/** Every selected account, in id order, a batch at a time. */
export function* readAccounts(given: DbLike, selection: AccountSelection = {}): Generator<Account> {
  const db = toDb(given);
  const queries = db.kind === 'sqlite' ? sqliteQueries((db as SqliteDb).raw, selection) : postgresQueries(db, selection);
  const { encounterOf } = queries;
  /** The batch's accounts in runs of consecutive ids with about maxLinesPerBatch line items at most. */
  const parts = (rows: AccountRow[]): AccountRow[][] => {
    const max = selection.maxLinesPerBatch;
    if (max === undefined) return [rows];
    const counts = new Map(queries.lineCounts({ first: rows[0][0], last: rows[rows.length - 1][0] }));
    const cut: AccountRow[][] = [];
    let current: AccountRow[] = [];
    let lines = 0;
    for (const row of rows) {
      const own = counts.get(row[0]) ?? 0;
      if (current.length > 0 && lines + own > max) {
        cut.push(current);
        current = [];
        lines = 0;
      }
      current.push(row);
      lines += own;
    }
    if (current.length > 0) cut.push(current);
    return cut;
  };
  /**
   * One batch's accounts, in id order. A plain function rather than generator
   * code: V8 optimizes it once, where the same loops inside the generator were
   * deoptimized and compiled again several times (docs/performance.md, "Snapshots").
   */
  const readBatch = (part: AccountRow[]): Account[] => {
    const batch = { first: part[0][0], last: part[part.length - 1][0] };
    const byId = new Map<number, Account>();
    const accounts: Account[] = [];
    for (const [id, accountNumber, firstName, lastName, groupId, unappliedFunds] of part) {
      const account: Account = {
        id,
        accountNumber,
        guarantor: { firstName, lastName },
        groupId,
        unappliedFunds,
        patients: [],
        encounters: [],
        statements: [],
        payments: [],
      };
      byId.set(id, account);
      accounts.push(account);
    }
    const patientById = new Map<number, Account['patients'][number]>();
    for (const [accountId, rowId, patientKey, firstName, lastName] of queries.patients(batch)) {
      const patient = { id: patientKey, firstName, lastName };
      patientById.set(rowId, patient);
      byId.get(accountId)?.patients.push(patient);
    }
    const linesOf = new Map<number, AccountLine[]>();
    let linesUnordered = false;
    for (const [encounter, line, code, description, billed, adjusted, insurancePaid, patientPaid] of queries.lines(batch)) {
      let list = linesOf.get(encounter);
      if (!list) linesOf.set(encounter, (list = []));
      else if (list[list.length - 1].line > line) linesUnordered = true;
      list.push({ line, code, description, billed, adjusted, insurancePaid, patientPaid });
    }
    if (linesUnordered) for (const list of linesOf.values()) list.sort((a, b) => a.line - b.line);
    for (const row of queries.encounters(batch)) {
      byId.get(row[0])?.encounters.push(encounterOf(row, 1, patientById, linesOf.get(row[1]) ?? []));
    }
    for (const [accountId, date, dueDate, amountDue] of queries.statements(batch)) {
      byId.get(accountId)?.statements.push({ date, dueDate, amountDue });
    }
    for (const [accountId, date, amount, method, status] of queries.payments(batch)) {
      byId.get(accountId)?.payments.push({ date, amount, method, status });
    }
    return accounts;
  };
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const accountRows = queries.accounts(after);
    if (accountRows.length === 0) return;
    after = accountRows[accountRows.length - 1][0];
    for (const part of parts(accountRows)) {
      const accounts = readBatch(part);
      for (let i = 0; i < accounts.length; i++) yield accounts[i];
    }
    if (accountRows.length < BATCH_SIZE) return;
  }
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

type LineRow = [number, number, string, string, number, number, number, number];
type EncounterRow = [number, number, number, string, EncounterStatus, string | null, number, number, number | null];

/**
 * One object per id of a small table (facilities, providers, agencies), read
 * when first asked for and then shared by every encounter that refers to it;
 * a missing row gets the stand-in `missing` makes.
 */
function lookup<R, T>(read: (id: number) => R | undefined, make: (row: R) => T, missing: (id: number) => T): (id: number) => T {
  const known = new Map<number, T>();
  return (id) => {
    let value = known.get(id);
    if (value === undefined) {
      const row = read(id);
      value = row === undefined ? missing(id) : make(row);
      known.set(id, value);
    }
    return value;
  };
}

/** How many accounts one group has, else the whole store. */
export function countAccounts(given: DbLike, groupId: number | undefined): number {
  const db = toDb(given);
  return groupId === undefined
    ? db.value<number>('SELECT count(*) FROM accounts')!
    : db.value<number>('SELECT count(*) FROM accounts WHERE group_id = ?', [groupId])!;
}

/** An account named on the command line by its number; unknown → exit 3. */
export function loadAccount(db: DbLike, accountNumber: string): Account {
  for (const account of readAccounts(db, { accountNumber })) return account;
  throw new NotFoundError(`no such account: ${JSON.stringify(accountNumber)}`, 'Run `pops accounts list --search <text>` to find it.');
}
