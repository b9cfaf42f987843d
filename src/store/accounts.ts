// Reading accounts: one loader for one account (`accounts show`, `preview`),
// every account of a group or a range of ids (`preview --all`), and the whole
// store (`export`). Each batch of accounts costs six range queries, so memory
// stays flat and ten thousand pages cost a few hundred queries, not fifty
// thousand; facilities, providers and agencies are read once per run, one
// object per row shared by every encounter that refers to it.
import type { DB } from './open.js';
import type { Account, AccountEncounter, AccountLine, PaymentStatus } from '../domain/account.js';
import type { EncounterStatus } from '../domain/balances.js';
import { NotFoundError } from '../base/errors.js';

/** Accounts per batch: `export`'s, and (PAGE_BATCH_SIZE) the pages'. */
const BATCH_SIZE = 500;
/**
 * Pages read smaller batches: each batch's accounts stay alive while they are
 * rendered, and 100 of them mostly die young where 500 are copied into V8's
 * old generation (a third less garbage collection, docs/performance.md "Snapshots").
 */
const PAGE_BATCH_SIZE = 100;

/** Which accounts to read: one by number, one group's, ids in [fromId, beforeId); any combination, else all. */
export interface AccountSelection {
  accountNumber?: string;
  groupId?: number;
  fromId?: number;
  beforeId?: number;
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

/** An account as the pages read it: its lines without code and description, which no page shows. */
export type PageAccount = Omit<Account, 'encounters'> & {
  encounters: (Omit<AccountEncounter, 'lines'> & { lines: Omit<AccountLine, 'code' | 'description'>[] })[];
};

/** Every selected account, in id order, a batch at a time. */
export function readAccounts(db: DB, selection: AccountSelection = {}): Generator<Account> {
  return read(db, selection, true, BATCH_SIZE) as Generator<Account>;
}

/** Every selected account as the pages read it (snapshot sets), in id order, a batch at a time. */
export function readPageAccounts(db: DB, selection: AccountSelection = {}): Generator<PageAccount> {
  return read(db, selection, false, PAGE_BATCH_SIZE);
}

function* read(db: DB, selection: AccountSelection, lineTexts: boolean, batchSize: number): Generator<PageAccount> {
  const nextAccounts = db
    .prepare(
      `SELECT id, account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents
       FROM accounts WHERE id > @after AND (@before IS NULL OR id < @before) AND (@group IS NULL OR group_id = @group)
         AND (@number IS NULL OR account_number = @number)
       ORDER BY id LIMIT ${batchSize}`,
    )
    .raw();
  const patients = db.prepare(`SELECT account_id, id, patient_key, first_name, last_name FROM patients WHERE account_id IN (${IN_BATCH}) ORDER BY id`).raw();
  // Facilities, providers and agencies are looked up by id (below), not joined: one shared object per id.
  const encounters = db
    .prepare(
      `SELECT account_id, number, patient_id, service_date, status, sent_to_collections_on, facility_id, provider_id, agency_id
       FROM encounters WHERE account_id IN (${IN_BATCH}) ORDER BY number`,
    )
    .raw();
  // The largest read, the lines, comes as one JSON text per batch: JSON.parse
  // makes its many small values much faster than reading row by row does. In
  // no particular order (an ORDER BY costs a sort): each encounter's lines are
  // put in line order below.
  const lines = jsonRows<LineRow>(
    db,
    // Texts cast as text: a value another tool stored as a BLOB cannot go into JSON as it is (a store edited by hand).
    `l.encounter_number, l.line, ${lineTexts ? 'CAST(l.code AS TEXT), CAST(l.description AS TEXT), ' : ''}l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents`,
    `FROM encounters e JOIN lines l ON l.encounter_number = e.number WHERE e.account_id IN (${IN_BATCH})`,
  );
  const statements = db
    .prepare(`SELECT account_id, date, due_date, amount_due_cents FROM statements WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date`)
    .raw();
  const payments = db
    .prepare(`SELECT account_id, date, amount_cents, method, status FROM payments WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date, id`)
    .raw();

  const facilityRow = db.prepare('SELECT code, name FROM facilities WHERE id = ?').raw();
  const providerRow = db.prepare('SELECT code, name FROM providers WHERE id = ?').raw();
  const agencyRow = db.prepare('SELECT code, name, phone FROM collection_agencies WHERE id = ?').raw();
  const facilityOf = lookup(
    (id) => facilityRow.get(id) as [string, string] | undefined,
    ([code, name]) => ({ code, name }),
    (id) => ({ code: '', name: `(missing facility ${id})` }),
  );
  const providerOf = lookup(
    (id) => providerRow.get(id) as [string, string] | undefined,
    ([code, name]) => ({ code, name }),
    (id) => ({ code: '', name: `(missing provider ${id})` }),
  );
  const agencyOf = lookup<[string, string, string | null], NonNullable<AccountEncounter['agency']>>(
    (id) => agencyRow.get(id) as [string, string, string | null] | undefined,
    ([code, name, phone]) => ({ code, name, phone }),
    (id) => ({ code: '', name: `(missing agency ${id})`, phone: null }),
  );

  const group = selection.groupId ?? null;
  const number = selection.accountNumber ?? null;
  const lineCounts = () =>
    db.prepare(
      `SELECT e.account_id, count(*) FROM encounters e JOIN lines l ON l.encounter_number = e.number WHERE e.account_id IN (${IN_BATCH}) GROUP BY e.account_id`,
    );
  type AccountRow = [number, string, string, string, number, number];
  /** The batch's accounts in runs of consecutive ids with about maxLinesPerBatch line items at most. */
  const parts = (rows: AccountRow[]): AccountRow[][] => {
    const max = selection.maxLinesPerBatch;
    if (max === undefined) return [rows];
    const counts = new Map(
      lineCounts()
        .raw()
        .all({ first: rows[0][0], last: rows[rows.length - 1][0], group, number }) as [number, number][],
    );
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
  const readBatch = (part: AccountRow[]): PageAccount[] => {
    const batch = { first: part[0][0], last: part[part.length - 1][0], group, number };
    const byId = new Map<number, PageAccount>();
    const accounts: PageAccount[] = [];
    for (const [id, accountNumber, firstName, lastName, groupId, unappliedFunds] of part) {
      const account: PageAccount = {
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
    for (const [accountId, rowId, patientKey, firstName, lastName] of patients.all(batch) as [number, number, string, string, string][]) {
      const patient = { id: patientKey, firstName, lastName };
      patientById.set(rowId, patient);
      byId.get(accountId)?.patients.push(patient);
    }
    const linesOf = new Map<number, PageAccount['encounters'][number]['lines']>();
    let linesUnordered = false;
    for (const row of lines(batch)) {
      const encounter = row[0];
      const line = row[1];
      let list = linesOf.get(encounter);
      if (!list) linesOf.set(encounter, (list = []));
      else if (list[list.length - 1].line > line) linesUnordered = true;
      list.push(
        lineTexts
          ? ({ line, code: row[2], description: row[3], billed: row[4], adjusted: row[5], insurancePaid: row[6], patientPaid: row[7] } as AccountLine)
          : { line, billed: row[2] as number, adjusted: row[3] as number, insurancePaid: row[4] as number, patientPaid: row[5] as number },
      );
    }
    if (linesUnordered) for (const list of linesOf.values()) list.sort((a, b) => a.line - b.line);
    for (const [accountId, number, patientId, serviceDate, status, sentToCollectionsOn, facilityId, providerId, agencyId] of encounters.all(
      batch,
    ) as EncounterRow[]) {
      // A row that refers to a missing row (an inconsistent store, docs/store.md) is
      // kept and named by the id it refers to, never dropped; `export` refuses such a store.
      byId.get(accountId)?.encounters.push({
        number,
        patient: patientById.get(patientId) ?? { id: '', firstName: '', lastName: `(missing patient ${patientId})` },
        facility: facilityOf(facilityId),
        provider: providerOf(providerId),
        serviceDate,
        status,
        agency: agencyId === null ? null : agencyOf(agencyId),
        sentToCollectionsOn,
        lines: linesOf.get(number) ?? [],
      });
    }
    for (const [accountId, date, dueDate, amountDue] of statements.all(batch) as [number, string, string, number][]) {
      byId.get(accountId)?.statements.push({ date, dueDate, amountDue });
    }
    for (const [accountId, date, amount, method, status] of payments.all(batch) as [number, string, number, string, PaymentStatus][]) {
      byId.get(accountId)?.payments.push({ date, amount, method, status });
    }
    return accounts;
  };
  const before = selection.beforeId ?? null;
  let after = selection.fromId === undefined ? Number.MIN_SAFE_INTEGER : selection.fromId - 1;
  for (;;) {
    const accountRows = nextAccounts.all({ after, before, group, number }) as AccountRow[];
    if (accountRows.length === 0) return;
    after = accountRows[accountRows.length - 1][0];
    for (const part of parts(accountRows)) {
      const accounts = readBatch(part);
      for (let i = 0; i < accounts.length; i++) yield accounts[i];
    }
    if (accountRows.length < batchSize) return;
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

/** encounter, line, [code, description,] billed, adjusted, insurance paid, patient paid. */
type LineRow = [number, number, ...(string | number)[]];
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
export function countAccounts(db: DB, groupId: number | undefined): number {
  return db
    .prepare('SELECT count(*) FROM accounts WHERE (@group IS NULL OR group_id = @group)')
    .pluck()
    .get({ group: groupId ?? null }) as number;
}

/** An account named on the command line by its number; unknown → exit 3. */
export function loadAccount(db: DB, accountNumber: string): Account {
  for (const account of readAccounts(db, { accountNumber })) return account;
  throw new NotFoundError(`no such account: ${JSON.stringify(accountNumber)}`, 'Run `pops accounts list --search <text>` to find it.');
}
