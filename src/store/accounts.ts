// Reading accounts: one loader for one account (`accounts show`, `preview`)
// and the whole store (`export`), a batch of accounts costing six range
// queries, so memory stays flat; facilities, providers and agencies are read
// once per run, one object per row shared by every encounter that refers to
// it. The pages of a snapshot set have their own reader (page-accounts.ts).
import type { DB } from './open.js';
import { toDb, type DbLike, type SqliteDb } from './db.js';
import { BATCH_SIZE, postgresQueries, sqliteQueries, type AccountRow } from './account-queries.js';
import type { Account, AccountEncounter, AccountLine } from '../domain/account.js';
import type { EncounterStatus } from '../domain/balances.js';
import { NotFoundError } from '../base/errors.js';

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

/** Every selected account, in id order, a batch at a time. */
export function* readAccounts(given: DbLike, selection: AccountSelection = {}): Generator<Account> {
  const db = toDb(given);
  const queries = db.kind === 'sqlite' ? sqliteQueries((db as SqliteDb).raw, selection) : postgresQueries(db, selection);
  const { encounterOf } = encountersOf(db);
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
