// Reading accounts for the pages of a snapshot set (`preview --all`): a batch
// of accounts costs one query, so ten thousand pages cost 200 queries of a
// store file, 100 of a PostgreSQL database (docs/performance.md, "Snapshots").
import type { DB } from './open.js';
import type { Account, AccountEncounter, AccountLine, PaymentStatus } from '../domain/account.js';
import type { EncounterStatus } from '../domain/balances.js';
import { encountersOf, type EncounterMaker } from './accounts.js';
import { toDb, type Db, type DbLike, type SqliteDb } from './db.js';

/**
 * Pages read smaller batches: each batch's accounts stay alive while they are
 * rendered, and 100 of them mostly die young where 500 are copied into V8's
 * old generation (a third less garbage collection, docs/performance.md "Snapshots").
 * A store file's batches are smaller still: with 50 accounts a batch, a run
 * of 10,000 pages makes about a fifth fewer page faults (each 15 µs on the
 * machine measured), most of the difference where JavaScript allocates on
 * the rendering thread: V8 grows its young generation less when less of it
 * survives (docs/performance.md, "Snapshots, page faults"). A PostgreSQL
 * batch is a round trip to the server, so it stays at 100.
 */
const POSTGRES_PAGE_BATCH_SIZE = 100;
const SQLITE_PAGE_BATCH_SIZE = 50;

/** An account as the pages read it: its lines without code and description, which no page shows, and no list of patients (each encounter has its own). */
export type PageAccount = Omit<Account, 'encounters' | 'patients'> & {
  encounters: (Omit<AccountEncounter, 'lines'> & { lines: Omit<AccountLine, 'code' | 'description'>[] })[];
};

/**
 * Every account of one group (else all) as the pages read it, in id order, a
 * batch at a time (`preview --all`; pageAccountsOf makes each batch's accounts).
 */
export function* readPageAccounts(db: DbLike, groupId?: number): Generator<PageAccount> {
  const { encounterOf } = encountersOf(db);
  for (const batch of readPageBatches(db, groupId)) {
    const accounts = pageAccountsOf(batch, encounterOf);
    for (let i = 0; i < accounts.length; i++) yield accounts[i];
  }
}

/**
 * The accounts of one group (else all) in id order, as JSON texts of up to
 * SQLITE_PAGE_BATCH_SIZE (PostgreSQL: POSTGRES_PAGE_BATCH_SIZE) accounts each, for pageAccountsOf. SQLite builds each batch
 * as one JSON text of nested lists — the accounts, and in each its patients,
 * encounters with their lines, statements and payments — and JSON.parse makes
 * them at once, in less time than reading the same rows table by table; a
 * text can also be handed to another thread as it is (docs/performance.md,
 * "Snapshots"). The lists come in the order of the index each is read by,
 * which is nearly always the order an Account promises; an ORDER BY inside an
 * aggregate would copy every list into a temporary b-tree, so pageAccountsOf
 * checks the order instead.
 */
export function readPageBatches(given: DbLike, groupId?: number): Generator<string> {
  const db = toDb(given);
  return db.kind === 'sqlite' ? sqlitePageBatches((db as SqliteDb).raw, groupId) : postgresPageBatches(db, groupId);
}

function* sqlitePageBatches(db: DB, groupId?: number): Generator<string> {
  // Texts cast as text: a value another tool stored as a BLOB cannot go into JSON as it is (a store edited by hand).
  const batchJson = db
    .prepare(
      `SELECT json_group_array(json_array(a.id, CAST(a.account_number AS TEXT), CAST(a.guarantor_first_name AS TEXT),
         CAST(a.guarantor_last_name AS TEXT), a.group_id, a.unapplied_funds_cents,
         (SELECT json_group_array(json_array(p.id, CAST(p.patient_key AS TEXT), CAST(p.first_name AS TEXT), CAST(p.last_name AS TEXT)))
            FROM patients p WHERE p.account_id = a.id),
         (SELECT json_group_array(json_array(e.number, e.patient_id, CAST(e.service_date AS TEXT), CAST(e.status AS TEXT),
              CAST(e.sent_to_collections_on AS TEXT), e.facility_id, e.provider_id, e.agency_id,
              (SELECT json_group_array(json_array(l.line, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents))
                 FROM lines l WHERE l.encounter_number = e.number)))
            FROM encounters e WHERE e.account_id = a.id),
         (SELECT json_group_array(json_array(CAST(s.date AS TEXT), CAST(s.due_date AS TEXT), s.amount_due_cents))
            FROM statements s WHERE s.account_id = a.id),
         (SELECT json_group_array(json_array(CAST(y.date AS TEXT), y.amount_cents, CAST(y.method AS TEXT), CAST(y.status AS TEXT), y.id))
            FROM payments y WHERE y.account_id = a.id))),
         count(*), max(a.id)
       FROM (SELECT * FROM accounts WHERE id > @after AND (@group IS NULL OR group_id = @group) ORDER BY id LIMIT ${SQLITE_PAGE_BATCH_SIZE}) a`,
    )
    .raw();
  const group = groupId ?? null;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const [json, count, last] = batchJson.get({ after, group }) as [string, number, number | null];
    if (count > 0) yield json;
    if (count < SQLITE_PAGE_BATCH_SIZE) return;
    after = last!;
  }
}

/** The same JSON texts from PostgreSQL, made by its json_agg (an empty list is null there, hence each COALESCE). */
function* postgresPageBatches(db: Db, groupId?: number): Generator<string> {
  const list = (select: string) => `COALESCE((${select}), '[]')`;
  const sql = `SELECT COALESCE(json_agg(json_build_array(a.id, a.account_number, a.guarantor_first_name, a.guarantor_last_name, a.group_id,
      a.unapplied_funds_cents,
      ${list('SELECT json_agg(json_build_array(p.id, p.patient_key, p.first_name, p.last_name)) FROM patients p WHERE p.account_id = a.id')},
      ${list(`SELECT json_agg(json_build_array(e.number, e.patient_id, e.service_date, e.status, e.sent_to_collections_on, e.facility_id,
          e.provider_id, e.agency_id,
          ${list(`SELECT json_agg(json_build_array(l.line, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents))
              FROM lines l WHERE l.encounter_number = e.number`)}))
          FROM encounters e WHERE e.account_id = a.id`)},
      ${list('SELECT json_agg(json_build_array(s.date, s.due_date, s.amount_due_cents)) FROM statements s WHERE s.account_id = a.id')},
      ${list('SELECT json_agg(json_build_array(y.date, y.amount_cents, y.method, y.status, y.id)) FROM payments y WHERE y.account_id = a.id')}
    )), '[]')::text, count(*)::int, max(a.id)
    FROM (SELECT * FROM accounts WHERE id > ? AND (?::bigint IS NULL OR group_id = ?) ORDER BY id LIMIT ${POSTGRES_PAGE_BATCH_SIZE}) a`;
  const group = groupId ?? null;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const [[json, count, last]] = db.rows<[string, number, number | null]>(sql, [after, group, group]);
    if (count > 0) yield json;
    if (count < POSTGRES_PAGE_BATCH_SIZE) return;
    after = last!;
  }
}

/**
 * One batch's accounts from its JSON text (readPageBatches), each list in the
 * order an Account promises. Needs no store: `encounterOf` names each
 * encounter's facility, provider and agency (sharedRows, or on another thread
 * encounterMaker of referencedRowsOf).
 */
export function pageAccountsOf(json: string, encounterOf: EncounterMaker['encounterOf']): PageAccount[] {
  const rows = JSON.parse(json) as PageAccountRow[];
  if (!inOrder(rows, byFirst)) rows.sort(byFirst);
  const accounts: PageAccount[] = [];
  // Indexed reads and one small function per list, not destructuring: V8 compiles such code in a
  // fraction of the time, which a run pays while its first pages are made
  // (docs/performance.md, "Snapshots, V8's compiler").
  for (let i = 0; i < rows.length; i += 1) accounts.push(pageAccountOf(rows[i], encounterOf));
  return accounts;
}

function pageAccountOf(row: PageAccountRow, encounterOf: EncounterMaker['encounterOf']): PageAccount {
  const patientRows = row[6];
  const patientById = new Map<number, Account['patients'][number]>();
  for (let i = 0; i < patientRows.length; i += 1) {
    const patient = patientRows[i];
    patientById.set(patient[0], { id: patient[1], firstName: patient[2], lastName: patient[3] });
  }
  const encounterRows = row[7];
  if (!inOrder(encounterRows, byFirst)) encounterRows.sort(byFirst);
  const encounters: PageAccount['encounters'] = [];
  for (let i = 0; i < encounterRows.length; i += 1) encounters.push(encounterOf(encounterRows[i], 0, patientById, linesOf(encounterRows[i][8])));
  return {
    id: row[0],
    accountNumber: row[1],
    guarantor: { firstName: row[2], lastName: row[3] },
    groupId: row[4],
    unappliedFunds: row[5],
    encounters,
    statements: statementsOf(row[8]),
    payments: paymentsOf(row[9]),
  };
}

function linesOf(lineRows: PageLineRow[]): PageAccount['encounters'][number]['lines'] {
  if (!inOrder(lineRows, byFirst)) lineRows.sort(byFirst);
  const lines: PageAccount['encounters'][number]['lines'] = [];
  for (let i = 0; i < lineRows.length; i += 1) {
    const row = lineRows[i];
    lines.push({ line: row[0], billed: row[1], adjusted: row[2], insurancePaid: row[3], patientPaid: row[4] });
  }
  return lines;
}

function statementsOf(statementRows: [string, string, number][]): Account['statements'] {
  if (!inOrder(statementRows, byDate)) statementRows.sort(byDate);
  const statements: Account['statements'] = [];
  for (let i = 0; i < statementRows.length; i += 1) {
    const row = statementRows[i];
    statements.push({ date: row[0], dueDate: row[1], amountDue: row[2] });
  }
  return statements;
}

function paymentsOf(paymentRows: [string, number, string, PaymentStatus, number][]): Account['payments'] {
  if (!inOrder(paymentRows, byDateThenId)) paymentRows.sort(byDateThenId);
  const payments: Account['payments'] = [];
  for (let i = 0; i < paymentRows.length; i += 1) {
    const row = paymentRows[i];
    payments.push({ date: row[0], amount: row[1], method: row[2], status: row[3] });
  }
  return payments;
}

/** One account of readPageAccounts's JSON: its row, then its patients, encounters (each with its lines), statements and payments. */
type PageAccountRow = [
  number,
  string,
  string,
  string,
  number,
  number,
  [number, string, string, string][],
  [number, number, string, EncounterStatus, string | null, number, number, number | null, PageLineRow[]][],
  [string, string, number][],
  [string, number, string, PaymentStatus, number][],
];

/** One line of an encounter: its number and amounts. */
type PageLineRow = [number, number, number, number, number];

/** Whether `rows` are in `compare`'s order already (the usual case: see readPageAccounts). */
function inOrder<T>(rows: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < rows.length; i += 1) if (compare(rows[i - 1], rows[i]) > 0) return false;
  return true;
}

/** By the first value, a number (an account's, encounter's or line's). */
const byFirst = (a: readonly unknown[], b: readonly unknown[]): number => (a[0] as number) - (b[0] as number);
/** Statements by date (ISO dates: compared as texts). */
const byDate = (a: readonly unknown[], b: readonly unknown[]): number => compareCodeUnits(a[0] as string, b[0] as string);
/** Payments by date, then id (the last value). */
const byDateThenId = (a: readonly unknown[], b: readonly unknown[]): number =>
  compareCodeUnits(a[0] as string, b[0] as string) || (a[a.length - 1] as number) - (b[b.length - 1] as number);

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
