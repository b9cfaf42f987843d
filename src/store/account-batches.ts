// Many accounts at once, for `preview --all` (SPEC §9: 10,000 pages within 3×
// of sqlite3 selecting the same rows). Instead of five queries per account
// (store/accounts.ts's accountLoader, right for one page), each batch of
// accounts costs five range queries; memory stays flat however many accounts.
import type { DB } from './open.js';
import type { AccountRecord, EncounterRecord, LineRecord } from './accounts.js';

const BATCH_SIZE = 500;

// The batch: accounts with ids in [@first, @last], of group @group when it is not null.
const IN_BATCH = 'SELECT id FROM accounts WHERE id BETWEEN @first AND @last AND (@group IS NULL OR group_id = @group)';

/** Every account (or one group's), fully loaded, in id order, a batch at a time. */
export function* accountsInBatches(db: DB, groupId?: number): Generator<AccountRecord> {
  const nextAccounts = db
    .prepare(
      `SELECT id, account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents
       FROM accounts WHERE id > @after AND (@group IS NULL OR group_id = @group) ORDER BY id LIMIT ${BATCH_SIZE}`,
    )
    .raw();
  const encounters = db
    .prepare(
      `SELECT e.account_id, e.number, e.service_date, e.status, e.sent_to_collections_on,
              p.patient_key, p.first_name, p.last_name, f.code, f.name, pr.code, pr.name, ag.code, ag.name, ag.phone
       FROM encounters e JOIN patients p ON p.id = e.patient_id JOIN facilities f ON f.id = e.facility_id
       JOIN providers pr ON pr.id = e.provider_id LEFT JOIN collection_agencies ag ON ag.id = e.agency_id
       WHERE e.account_id IN (${IN_BATCH}) ORDER BY e.account_id, e.service_date, e.number`,
    )
    .raw();
  const lines = db
    .prepare(
      `SELECT l.encounter_number, l.line, l.code, l.description, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents
       FROM encounters e JOIN lines l ON l.encounter_number = e.number
       WHERE e.account_id IN (${IN_BATCH}) ORDER BY l.encounter_number, l.line`,
    )
    .raw();
  const statements = db
    .prepare(`SELECT account_id, date, due_date, amount_due_cents FROM statements WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date`)
    .raw();
  const payments = db
    .prepare(`SELECT account_id, date, amount_cents, method FROM payments WHERE account_id IN (${IN_BATCH}) ORDER BY account_id, date, id`)
    .raw();

  const group = groupId ?? null;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const accountRows = nextAccounts.all({ after, group }) as [number, string, string, string, number, number][];
    if (accountRows.length === 0) return;
    const first = accountRows[0][0];
    const last = accountRows[accountRows.length - 1][0];
    after = last;
    const batch = { first, last, group };

    const byId = new Map<number, AccountRecord>();
    for (const [id, accountNumber, firstName, lastName, accountGroupId, unappliedFunds] of accountRows) {
      byId.set(id, { id, accountNumber, guarantor: { firstName, lastName }, groupId: accountGroupId, unappliedFunds, encounters: [], statements: [], payments: [] });
    }
    const linesOf = new Map<number, LineRecord[]>();
    for (const [encounter, line, code, description, billed, adjusted, insurancePaid, patientPaid] of lines.all(batch) as [number, number, string, string, number, number, number, number][]) {
      let list = linesOf.get(encounter);
      if (!list) linesOf.set(encounter, (list = []));
      list.push({ line, code, description, billed, adjusted, insurancePaid, patientPaid });
    }
    for (const row of encounters.all(batch) as EncounterRow[]) {
      const [accountId, number, serviceDate, status, sentToCollectionsOn, patientKey, patientFirst, patientLast, facilityCode, facilityName, providerCode, providerName, agencyCode, agencyName, agencyPhone] = row;
      const encounter: EncounterRecord = {
        number,
        patient: { id: patientKey, firstName: patientFirst, lastName: patientLast },
        facility: { code: facilityCode, name: facilityName },
        provider: { code: providerCode, name: providerName },
        serviceDate,
        status,
        agency: agencyCode === null ? null : { code: agencyCode, name: agencyName as string, phone: agencyPhone },
        sentToCollectionsOn,
        lines: linesOf.get(number) ?? [],
      };
      byId.get(accountId)?.encounters.push(encounter);
    }
    for (const [accountId, date, dueDate, amountDue] of statements.all(batch) as [number, string, string, number][]) {
      byId.get(accountId)?.statements.push({ date, dueDate, amountDue });
    }
    for (const [accountId, date, amount, method] of payments.all(batch) as [number, string, number, string][]) {
      byId.get(accountId)?.payments.push({ date, amount, method });
    }
    yield* byId.values();
    if (accountRows.length < BATCH_SIZE) return;
  }
}

type EncounterRow = [number, number, string, EncounterRecord['status'], string | null, string, string, string, string, string, string, string, string | null, string | null, string | null];
