// One account with everything the page and `accounts show` need.
import type { DB } from './open.js';
import type { EncounterStatus } from '../domain/balances.js';
import { NotFoundError } from '../errors.js';

export interface LineRecord {
  line: number;
  code: string;
  description: string;
  billed: number;
  adjusted: number;
  insurancePaid: number;
  patientPaid: number;
}

export interface EncounterRecord {
  number: number;
  patient: { id: string; firstName: string; lastName: string };
  facility: { code: string; name: string };
  provider: { code: string; name: string };
  serviceDate: string;
  status: EncounterStatus;
  agency: { code: string; name: string; phone: string | null } | null;
  sentToCollectionsOn: string | null;
  lines: LineRecord[];
}

export interface AccountRecord {
  id: number;
  accountNumber: string;
  guarantor: { firstName: string; lastName: string };
  groupId: number;
  unappliedFunds: number;
  encounters: EncounterRecord[];
  statements: { date: string; dueDate: string; amountDue: number }[];
  payments: { date: string; amount: number; method: string }[];
}

type Row = Record<string, never>;

/** Prepared once per store handle; `load` is then cheap enough to call per account. */
export function accountLoader(db: DB): { byNumber(accountNumber: string): AccountRecord | undefined; byId(id: number): AccountRecord | undefined } {
  const accountByNumber = db.prepare('SELECT * FROM accounts WHERE account_number = ?');
  const accountById = db.prepare('SELECT * FROM accounts WHERE id = ?');
  const encountersOf = db.prepare(
    `SELECT e.number, e.service_date, e.status, e.sent_to_collections_on,
            p.patient_key, p.first_name AS patient_first, p.last_name AS patient_last,
            f.code AS facility_code, f.name AS facility_name, pr.code AS provider_code, pr.name AS provider_name,
            ag.code AS agency_code, ag.name AS agency_name, ag.phone AS agency_phone
     FROM encounters e JOIN patients p ON p.id = e.patient_id JOIN facilities f ON f.id = e.facility_id
     JOIN providers pr ON pr.id = e.provider_id LEFT JOIN collection_agencies ag ON ag.id = e.agency_id
     WHERE e.account_id = ? ORDER BY e.service_date, e.number`,
  );
  const linesOf = db.prepare(
    `SELECT l.encounter_number, l.line, l.code, l.description, l.billed_cents, l.adjusted_cents, l.insurance_paid_cents, l.patient_paid_cents
     FROM lines l JOIN encounters e ON e.number = l.encounter_number WHERE e.account_id = ? ORDER BY l.encounter_number, l.line`,
  );
  const statementsOf = db.prepare('SELECT date, due_date, amount_due_cents FROM statements WHERE account_id = ? ORDER BY date');
  const paymentsOf = db.prepare('SELECT date, amount_cents, method FROM payments WHERE account_id = ? ORDER BY date, id');

  const build = (a: Row | undefined): AccountRecord | undefined => {
    if (!a) return undefined;
    const linesByEncounter = new Map<number, LineRecord[]>();
    for (const l of linesOf.all(a.id) as Row[]) {
      const list = linesByEncounter.get(l.encounter_number) ?? [];
      list.push({
        line: l.line,
        code: l.code,
        description: l.description,
        billed: l.billed_cents,
        adjusted: l.adjusted_cents,
        insurancePaid: l.insurance_paid_cents,
        patientPaid: l.patient_paid_cents,
      });
      linesByEncounter.set(l.encounter_number, list);
    }
    return {
      id: a.id,
      accountNumber: a.account_number,
      guarantor: { firstName: a.guarantor_first_name, lastName: a.guarantor_last_name },
      groupId: a.group_id,
      unappliedFunds: a.unapplied_funds_cents,
      encounters: (encountersOf.all(a.id) as Row[]).map((e) => ({
        number: e.number,
        patient: { id: e.patient_key, firstName: e.patient_first, lastName: e.patient_last },
        facility: { code: e.facility_code, name: e.facility_name },
        provider: { code: e.provider_code, name: e.provider_name },
        serviceDate: e.service_date,
        status: e.status,
        agency: e.agency_code === null ? null : { code: e.agency_code, name: e.agency_name, phone: e.agency_phone },
        sentToCollectionsOn: e.sent_to_collections_on,
        lines: linesByEncounter.get(e.number) ?? [],
      })),
      statements: (statementsOf.all(a.id) as Row[]).map((s) => ({ date: s.date, dueDate: s.due_date, amountDue: s.amount_due_cents })),
      payments: (paymentsOf.all(a.id) as Row[]).map((p) => ({ date: p.date, amount: p.amount_cents, method: p.method })),
    };
  };
  return {
    byNumber: (accountNumber) => build(accountByNumber.get(accountNumber) as Row | undefined),
    byId: (id) => build(accountById.get(id) as Row | undefined),
  };
}

/** An account named on the command line by its number; unknown → exit 3. */
export function loadAccount(db: DB, accountNumber: string): AccountRecord {
  const account = accountLoader(db).byNumber(accountNumber);
  if (!account) throw new NotFoundError(`no such account: ${JSON.stringify(accountNumber)}`, 'Run `pops accounts list --search <text>` to find it.');
  return account;
}
