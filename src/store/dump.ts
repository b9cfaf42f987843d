// Import and export of the whole store as a dump (docs/formats.md).
import type { Statement } from 'better-sqlite3';
import type { DB } from './open.js';
import type { Dump, DumpAccount, DumpCoded, DumpGroup } from '../domain/dump-schema.js';
import { GROUP_SETTINGS, type GroupSettings } from '../domain/group-settings.js';
import { refreshAccountFigures } from './balance-sql.js';
import { formatMoneyPlain } from '../domain/money.js';
import { listGroups, nameKey } from './groups.js';
import { writeGroupDeletion, writeNewGroup } from './group-writes.js';
import { AuditBatch } from './audit.js';
import { readAccounts } from './accounts.js';
import { refuseDanglingReferences } from './consistency.js';
import { toDb, type Db, type DbLike, type SqliteDb } from './db.js';

export interface ImportSummary {
  groups: number;
  accounts: number;
  encounters: number;
  lines: number;
}

/** Delete the store's content (not the audit log, which is append-only history). */
export function clearContent(db: DB, audit: AuditBatch): void {
  db.exec(`
    DELETE FROM account_figures; DELETE FROM lines; DELETE FROM encounters; DELETE FROM payments; DELETE FROM statements;
    DELETE FROM patients; DELETE FROM accounts;
    DELETE FROM collection_agencies; DELETE FROM facilities; DELETE FROM providers;`);
  for (const group of listGroups(db)) writeGroupDeletion(db, audit, group);
}

/** Write a validated, conflict-free dump. Call inside a transaction. */
export function writeDump(db: DB, dump: Dump, audit: AuditBatch): ImportSummary {
  const writer = new DumpWriter(db, audit);
  for (const g of dump.groups) writer.group(g);
  for (const c of dump.collectionAgencies) writer.coded('collectionAgencies', c);
  for (const f of dump.facilities) writer.coded('facilities', f);
  for (const p of dump.providers) writer.coded('providers', p);
  for (const account of dump.accounts) writer.account(account);
  return writer.finish();
}

export type CodedList = 'collectionAgencies' | 'facilities' | 'providers';

/**
 * Writes a dump's checked elements, one at a time, in an order where every
 * reference is written before what refers to it. Call inside a transaction;
 * `finish` computes the figures kept beside each new account.
 */
export class DumpWriter {
  readonly summary: ImportSummary = { groups: 0, accounts: 0, encounters: 0, lines: 0 };
  /** New accounts get ids above every existing one: the figures to compute are those from here on. */
  private readonly firstAccountId: number;
  private readonly insertCoded: Record<CodedList, Statement>;
  private readonly idOf: Record<CodedList, (code: string) => number>;
  private readonly groupIdStatement: Statement;
  private readonly groupIds = new Map<string, number>();
  private readonly insertAccount: Statement;
  private readonly insertPatient: Statement;
  private readonly insertEncounter: Statement;
  private readonly insertLine: Statement;
  private readonly insertStatement: Statement;
  private readonly insertPayment: Statement;

  constructor(
    private readonly db: DB,
    private readonly audit: AuditBatch,
  ) {
    this.firstAccountId = db.prepare('SELECT coalesce(max(id), 0) + 1 FROM accounts').pluck().get() as number;
    const upsertCoded = (table: string, withPhone: boolean) =>
      db.prepare(`INSERT INTO ${table} (code, name${withPhone ? ', phone' : ''}) VALUES (?, ?${withPhone ? ', ?' : ''}) ON CONFLICT (code) DO NOTHING`);
    this.insertCoded = {
      collectionAgencies: upsertCoded('collection_agencies', true),
      facilities: upsertCoded('facilities', false),
      providers: upsertCoded('providers', false),
    };
    const idOf = (table: string) => {
      const statement = db.prepare(`SELECT id FROM ${table} WHERE code = ?`).pluck();
      const cache = new Map<string, number>();
      return (code: string): number => {
        let id = cache.get(code);
        if (id === undefined) {
          id = statement.get(code) as number;
          cache.set(code, id);
        }
        return id;
      };
    };
    this.idOf = { collectionAgencies: idOf('collection_agencies'), facilities: idOf('facilities'), providers: idOf('providers') };
    this.groupIdStatement = db.prepare('SELECT id FROM groups WHERE name_key = ?').pluck();
    this.insertAccount = db.prepare(
      'INSERT INTO accounts (account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertPatient = db.prepare('INSERT INTO patients (account_id, patient_key, first_name, last_name) VALUES (?, ?, ?, ?)');
    this.insertEncounter = db.prepare(
      `INSERT INTO encounters (number, account_id, patient_id, facility_id, provider_id, service_date, status, agency_id, sent_to_collections_on)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertLine = db.prepare(
      `INSERT INTO lines (encounter_number, line, code, description, billed_cents, adjusted_cents, insurance_paid_cents, patient_paid_cents)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertStatement = db.prepare('INSERT INTO statements (account_id, date, due_date, amount_due_cents) VALUES (?, ?, ?, ?)');
    this.insertPayment = db.prepare('INSERT INTO payments (account_id, date, amount_cents, method, status) VALUES (?, ?, ?, ?, ?)');
  }

  group(g: DumpGroup): void {
    const { name, ...settings } = g;
    writeNewGroup(this.db, this.audit, name, settings as GroupSettings);
    this.summary.groups += 1;
  }

  coded(list: CodedList, item: DumpCoded): void {
    if (list === 'collectionAgencies') this.insertCoded[list].run(item.code, item.name, item.phone ?? null);
    else this.insertCoded[list].run(item.code, item.name);
  }

  private groupId(name: string): number {
    const key = nameKey(name);
    let id = this.groupIds.get(key);
    if (id === undefined) {
      id = this.groupIdStatement.get(key) as number;
      this.groupIds.set(key, id);
    }
    return id;
  }

  account(account: DumpAccount): void {
    const summary = this.summary;
    const accountId = Number(
      this.insertAccount.run(
        account.accountNumber,
        account.guarantor.firstName,
        account.guarantor.lastName,
        this.groupId(account.group),
        account.unappliedFunds,
      ).lastInsertRowid,
    );
    const patientIds = new Map<string, number>();
    for (const p of account.patients) {
      patientIds.set(p.id, Number(this.insertPatient.run(accountId, p.id, p.firstName, p.lastName).lastInsertRowid));
    }
    for (const e of account.encounters) {
      this.insertEncounter.run(
        e.number,
        accountId,
        patientIds.get(e.patient),
        this.idOf.facilities(e.facility),
        this.idOf.providers(e.provider),
        e.serviceDate,
        e.status,
        e.collectionAgency === undefined ? null : this.idOf.collectionAgencies(e.collectionAgency),
        e.sentToCollectionsOn ?? null,
      );
      for (const l of e.lines) {
        this.insertLine.run(e.number, l.line, l.code, l.description, l.billed, l.adjusted, l.insurancePaid, l.patientPaid);
        summary.lines += 1;
      }
      summary.encounters += 1;
    }
    for (const s of account.statements) this.insertStatement.run(accountId, s.date, s.dueDate, s.amountDue);
    for (const p of account.payments) this.insertPayment.run(accountId, p.date, p.amount, p.method, p.status);
    summary.accounts += 1;
  }

  finish(): ImportSummary {
    // The figures kept beside each account (docs/performance.md, "accounts list"), from what was just written.
    if (this.summary.accounts > 0) refreshAccountFigures(this.db, { kind: 'since', fromId: this.firstAccountId });
    return this.summary;
  }
}

/**
 * The store as a dump, in a stable order (export → import → export is
 * identical): everything but the accounts, then the accounts one at a time
 * (read a batch at a time). Call inside one read transaction.
 */
export function readDump(given: DbLike): { head: Record<string, unknown>; accounts: Generator<Record<string, unknown>> } {
  const db = toDb(given);
  // A dump is the whole store: one that would leave records out is refused (exit 4). (A PostgreSQL
  // store's foreign keys are always checked: it cannot be inconsistent.)
  if (db.kind === 'sqlite') refuseDanglingReferences((db as SqliteDb).raw, 'export refused');
  const groups = listGroupsById(db);
  const coded = (table: string, withPhone: boolean) =>
    db
      .all<Record<string, unknown>>(`SELECT code, name${withPhone ? ', phone' : ''} FROM ${table} ORDER BY id`)
      .map((row) => (withPhone ? { code: row.code, name: row.name, phone: row.phone } : { code: row.code, name: row.name }));
  const head = {
    format: 'pops-dump',
    version: 1,
    groups: groups.map((g) => {
      const out: Record<string, unknown> = { name: g.name };
      for (const setting of GROUP_SETTINGS) out[setting.key] = g[setting.key];
      return out;
    }),
    collectionAgencies: coded('collection_agencies', true),
    facilities: coded('facilities', false),
    providers: coded('providers', false),
  };
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));
  return { head, accounts: dumpAccounts(db, groupNames) };
}

function* dumpAccounts(db: Db, groupNames: Map<number, string>): Generator<Record<string, unknown>> {
  // A batch of accounts with many line items is read in parts: memory stays flat (docs/performance.md).
  for (const a of readAccounts(db, { maxLinesPerBatch: 20_000 })) {
    yield {
      accountNumber: a.accountNumber,
      guarantor: { firstName: a.guarantor.firstName, lastName: a.guarantor.lastName },
      group: groupNames.get(a.groupId)!, // refuseDanglingReferences: every account's group exists
      unappliedFunds: formatMoneyPlain(a.unappliedFunds),
      patients: a.patients.map((p) => ({ id: p.id, firstName: p.firstName, lastName: p.lastName })),
      encounters: a.encounters.map((e) => ({
        number: e.number,
        patient: e.patient.id,
        facility: e.facility.code,
        provider: e.provider.code,
        serviceDate: e.serviceDate,
        status: e.status,
        ...(e.agency === null ? {} : { collectionAgency: e.agency.code }),
        ...(e.sentToCollectionsOn === null ? {} : { sentToCollectionsOn: e.sentToCollectionsOn }),
        lines: e.lines.map((l) => ({
          line: l.line,
          code: l.code,
          description: l.description,
          billed: formatMoneyPlain(l.billed),
          adjusted: formatMoneyPlain(l.adjusted),
          insurancePaid: formatMoneyPlain(l.insurancePaid),
          patientPaid: formatMoneyPlain(l.patientPaid),
        })),
      })),
      statements: a.statements.map((st) => ({ date: st.date, dueDate: st.dueDate, amountDue: formatMoneyPlain(st.amountDue) })),
      payments: a.payments.map((p) => ({ date: p.date, amount: formatMoneyPlain(p.amount), method: p.method, status: p.status })),
    };
  }
}

function listGroupsById(db: Db) {
  return listGroups(db).sort((a, b) => a.id - b.id);
}
