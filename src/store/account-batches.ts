// Many accounts at once, for `preview --all` (SPEC §9: 10,000 pages within 3×
// of sqlite3 selecting the same rows). Instead of five queries per account
// (store/accounts.ts's accountLoader, right for one page), each batch of
// accounts costs five range queries; memory stays flat however many accounts.
import type { DB } from './open.js';
import type { PageSourceAccount, PageSourceLine } from '../domain/account-page.js';
import type { EncounterStatus } from '../domain/balances.js';

const BATCH_SIZE = 500;

// The batch: accounts with ids in [@first, @last], of group @group when it is not null.
const IN_BATCH = 'SELECT id FROM accounts WHERE id BETWEEN @first AND @last AND (@group IS NULL OR group_id = @group)';

/** Which accounts: one group's (else all), with ids in [fromId, beforeId) (else any). */
export interface AccountScope {
  groupId?: number;
  fromId?: number;
  beforeId?: number;
}

/**
 * The first ids of up to `maxParts` runs of about equal size over the
 * accounts in scope (one group's, else all), none smaller than `minPerPart`
 * accounts: run k is [starts[k], starts[k + 1]). One run when there are too
 * few to split; none without accounts, or when `maxParts` is 1 (nothing to
 * split, so nothing is counted: the caller reads everything as one run).
 */
export function splitAccountIds(db: DB, groupId: number | undefined, maxParts: number, minPerPart: number): number[] {
  if (maxParts <= 1) return []; // one run of everything: nothing to count
  const group = groupId ?? null;
  const count = db.prepare('SELECT count(*) FROM accounts WHERE (@group IS NULL OR group_id = @group)').pluck().get({ group }) as number;
  const parts = Math.max(1, Math.min(maxParts, Math.floor(count / minPerPart)));
  const size = Math.ceil(count / parts);
  const nth = db.prepare('SELECT id FROM accounts WHERE (@group IS NULL OR group_id = @group) ORDER BY id LIMIT 1 OFFSET @offset').pluck();
  const starts: number[] = [];
  for (let offset = 0; offset < count; offset += size) starts.push(nth.get({ group, offset }) as number);
  return starts;
}

/** One account as the Account page needs it (domain/account-page.ts), with its id and group. */
export interface PageAccountRecord extends PageSourceAccount {
  id: number;
  groupId: number;
}

/**
 * Every account in scope, loaded with just what its page shows, in id order,
 * a batch at a time. Rows come unsorted where the page sorts them itself
 * (encounters, lines), which spares SQLite a sort per batch.
 */
export function* accountsInBatches(db: DB, scope: AccountScope = {}): Generator<PageAccountRecord> {
  const nextAccounts = db
    .prepare(
      `SELECT id, account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents
       FROM accounts WHERE id > @after AND (@before IS NULL OR id < @before) AND (@group IS NULL OR group_id = @group)
       ORDER BY id LIMIT ${BATCH_SIZE}`,
    )
    .raw();
  const encounters = db
    .prepare(
      `SELECT e.account_id, e.number, e.service_date, e.status,
              p.patient_key, p.first_name, p.last_name, f.code, f.name, pr.code, pr.name, ag.code, ag.name
       FROM encounters e JOIN patients p ON p.id = e.patient_id JOIN facilities f ON f.id = e.facility_id
       JOIN providers pr ON pr.id = e.provider_id LEFT JOIN collection_agencies ag ON ag.id = e.agency_id
       WHERE e.account_id IN (${IN_BATCH})`,
    )
    .raw();
  const lines = db
    .prepare(
      `SELECT l.encounter_number, l.line, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents
       FROM encounters e JOIN lines l ON l.encounter_number = e.number
       WHERE e.account_id IN (${IN_BATCH})`,
    )
    .raw();
  const statements = db
    .prepare(`SELECT account_id, date, due_date, amount_due_cents FROM statements WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date`)
    .raw();
  const payments = db
    .prepare(`SELECT account_id, date, amount_cents FROM payments WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date, id`)
    .raw();

  const group = scope.groupId ?? null;
  const before = scope.beforeId ?? null;
  let after = scope.fromId === undefined ? Number.MIN_SAFE_INTEGER : scope.fromId - 1;
  for (;;) {
    const accountRows = nextAccounts.all({ after, before, group }) as [number, string, string, string, number, number][];
    if (accountRows.length === 0) return;
    const first = accountRows[0][0];
    const last = accountRows[accountRows.length - 1][0];
    after = last;
    const batch = { first, last, group };

    const byId = new Map<number, PageAccountRecord>();
    for (const [id, accountNumber, firstName, lastName, accountGroupId, unappliedFunds] of accountRows) {
      byId.set(id, { id, accountNumber, guarantor: { firstName, lastName }, groupId: accountGroupId, unappliedFunds, encounters: [], statements: [], payments: [] });
    }
    const linesOf = new Map<number, PageSourceLine[]>();
    for (const [encounter, line, billed, adjusted, insurancePaid, patientPaid] of lines.all(batch) as number[][]) {
      let list = linesOf.get(encounter);
      if (!list) linesOf.set(encounter, (list = []));
      list.push({ line, billed, adjusted, insurancePaid, patientPaid });
    }
    for (const row of encounters.all(batch) as EncounterRow[]) {
      const [accountId, number, serviceDate, status, patientKey, patientFirst, patientLast, facilityCode, facilityName, providerCode, providerName, agencyCode, agencyName] = row;
      byId.get(accountId)?.encounters.push({
        number,
        patient: { id: patientKey, firstName: patientFirst, lastName: patientLast },
        facility: { code: facilityCode, name: facilityName },
        provider: { code: providerCode, name: providerName },
        serviceDate,
        status,
        agency: agencyCode === null ? null : { code: agencyCode, name: agencyName as string },
        lines: linesOf.get(number) ?? [],
      });
    }
    for (const [accountId, date, dueDate, amountDue] of statements.all(batch) as [number, string, string, number][]) {
      byId.get(accountId)?.statements.push({ date, dueDate, amountDue });
    }
    for (const [accountId, date, amount] of payments.all(batch) as [number, string, number][]) {
      byId.get(accountId)?.payments.push({ date, amount });
    }
    yield* byId.values();
    if (accountRows.length < BATCH_SIZE) return;
  }
}

type EncounterRow = [number, number, string, EncounterStatus, string, string, string, string, string, string, string, string | null, string | null];
