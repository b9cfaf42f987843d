// Import and export of the whole store as a dump (docs/formats.md).
import type { DB } from './open.js';
import { checkDump, withoutPlaces, type Dump, type DumpOutline } from '../domain/dump-schema.js';
import { ValidationError, type Problem } from '../base/errors.js';
import { GROUP_SETTINGS, type GroupSettings } from '../domain/group-settings.js';
import { refreshAccountFigures } from './balance-sql.js';
import { formatMoneyPlain } from '../domain/money.js';
import { listGroups, nameKey } from './groups.js';
import { writeGroupDeletion, writeNewGroup } from './group-writes.js';
import { AuditBatch } from './audit.js';
import { readAccounts } from './accounts.js';
import { refuseDanglingReferences } from './consistency.js';

export interface ImportSummary {
  groups: number;
  accounts: number;
  encounters: number;
  lines: number;
}

/**
 * Conflicts between the dump and what the store already holds (empty unless
 * problems). Reads the outline, so it also runs on a document with other problems.
 */
export function findConflicts(db: DB, dump: DumpOutline): Problem[] {
  const problems: Problem[] = [];
  const groupByKey = db.prepare('SELECT name FROM groups WHERE name_key = ?');
  dump.groups.forEach((g, i) => {
    if (g?.name === undefined) return;
    const existing = groupByKey.get(nameKey(g.name)) as { name: string } | undefined;
    if (existing)
      problems.push({
        where: `groups[${i}].name`,
        message: `group ${JSON.stringify(existing.name)} already exists in the store (use --replace to replace the store's content)`,
      });
  });
  for (const [listName, table] of [
    ['collectionAgencies', 'collection_agencies'],
    ['facilities', 'facilities'],
    ['providers', 'providers'],
  ] as const) {
    const byCode = db.prepare(`SELECT name FROM ${table} WHERE code = ?`);
    dump[listName].forEach((item, i) => {
      if (item?.code === undefined || item.name === undefined) return;
      const existing = byCode.get(item.code) as { name: string } | undefined;
      if (existing && existing.name !== item.name) {
        problems.push({
          where: `${listName}[${i}].name`,
          message: `code ${JSON.stringify(item.code)} already exists in the store with the name ${JSON.stringify(existing.name)}`,
        });
      }
    });
  }
  const accountByNumber = db.prepare('SELECT 1 FROM accounts WHERE account_number = ?');
  const encounterByNumber = db.prepare('SELECT 1 FROM encounters WHERE number = ?');
  dump.accounts.forEach((account, a) => {
    if (account === undefined) return;
    if (account.accountNumber !== undefined && accountByNumber.get(account.accountNumber)) {
      problems.push({
        where: `accounts[${a}].accountNumber`,
        message: `account ${account.accountNumber} already exists in the store (use --replace to replace the store's content)`,
      });
    }
    account.encounters.forEach((e, i) => {
      if (e?.number !== undefined && encounterByNumber.get(e.number)) {
        problems.push({ where: `accounts[${a}].encounters[${i}].number`, message: `encounter ${e.number} already exists in the store` });
      }
    });
  });
  return problems;
}

/**
 * References resolve against the dump first, then the store (`db`; undefined
 * for `--replace`, whose store is emptied first). A reference is not judged
 * while the dump's own list of that kind has an entry too broken to name it.
 */
export function findUnresolved(db: DB | undefined, dump: DumpOutline): Problem[] {
  const problems: Problem[] = [];
  const keysOf = <T>(items: readonly (T | undefined)[], key: (item: T) => string | undefined) => {
    const keys = items.map((item) => (item === undefined ? undefined : key(item)));
    return { keys: new Set(keys.filter((k) => k !== undefined)), complete: !keys.includes(undefined) };
  };
  const inDump = {
    group: keysOf(dump.groups, (g) => (g.name === undefined ? undefined : nameKey(g.name))),
    facility: keysOf(dump.facilities, (f) => f.code),
    provider: keysOf(dump.providers, (p) => p.code),
    agency: keysOf(dump.collectionAgencies, (c) => c.code),
  };
  const inStore = db && {
    group: db.prepare('SELECT 1 FROM groups WHERE name_key = ?'),
    facility: db.prepare('SELECT 1 FROM facilities WHERE code = ?'),
    provider: db.prepare('SELECT 1 FROM providers WHERE code = ?'),
    agency: db.prepare('SELECT 1 FROM collection_agencies WHERE code = ?'),
  };
  const unresolved = (kind: keyof typeof inDump, key: string | undefined) =>
    key !== undefined && inDump[kind].complete && !inDump[kind].keys.has(key) && inStore?.[kind].get(key) === undefined;
  dump.accounts.forEach((account, a) => {
    if (account === undefined) return;
    if (account.group !== undefined && unresolved('group', nameKey(account.group))) {
      problems.push({ where: `accounts[${a}].group`, message: `no such group ${JSON.stringify(account.group)}` });
    }
    account.encounters.forEach((e, i) => {
      if (e === undefined) return;
      const at = `accounts[${a}].encounters[${i}]`;
      if (unresolved('facility', e.facility)) problems.push({ where: `${at}.facility`, message: `no such facility ${JSON.stringify(e.facility)}` });
      if (unresolved('provider', e.provider)) problems.push({ where: `${at}.provider`, message: `no such provider ${JSON.stringify(e.provider)}` });
      if (unresolved('agency', e.collectionAgency)) {
        problems.push({ where: `${at}.collectionAgency`, message: `no such collection agency ${JSON.stringify(e.collectionAgency)}` });
      }
    });
  });
  return problems;
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
  const summary: ImportSummary = { groups: 0, accounts: 0, encounters: 0, lines: 0 };
  for (const g of dump.groups) {
    const { name, ...settings } = g;
    writeNewGroup(db, audit, name, settings as GroupSettings);
    summary.groups += 1;
  }
  const upsertCoded = (table: string, withPhone: boolean) =>
    db.prepare(`INSERT INTO ${table} (code, name${withPhone ? ', phone' : ''}) VALUES (?, ?${withPhone ? ', ?' : ''}) ON CONFLICT (code) DO NOTHING`);
  const insertAgency = upsertCoded('collection_agencies', true);
  for (const c of dump.collectionAgencies) insertAgency.run(c.code, c.name, c.phone ?? null);
  const insertFacility = upsertCoded('facilities', false);
  for (const f of dump.facilities) insertFacility.run(f.code, f.name);
  const insertProvider = upsertCoded('providers', false);
  for (const p of dump.providers) insertProvider.run(p.code, p.name);

  const idOf = (table: string) => {
    const statement = db.prepare(`SELECT id FROM ${table} WHERE code = ?`);
    const cache = new Map<string, number>();
    return (code: string): number => {
      let id = cache.get(code);
      if (id === undefined) {
        id = (statement.get(code) as { id: number }).id;
        cache.set(code, id);
      }
      return id;
    };
  };
  const facilityId = idOf('facilities');
  const providerId = idOf('providers');
  const agencyId = idOf('collection_agencies');
  const groupIdStatement = db.prepare('SELECT id FROM groups WHERE name_key = ?');
  const groupIds = new Map<string, number>();
  const groupId = (name: string): number => {
    const key = nameKey(name);
    let id = groupIds.get(key);
    if (id === undefined) {
      id = (groupIdStatement.get(key) as { id: number }).id;
      groupIds.set(key, id);
    }
    return id;
  };

  const insertAccount = db.prepare(
    'INSERT INTO accounts (account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents) VALUES (?, ?, ?, ?, ?)',
  );
  const insertPatient = db.prepare('INSERT INTO patients (account_id, patient_key, first_name, last_name) VALUES (?, ?, ?, ?)');
  const insertEncounter = db.prepare(
    `INSERT INTO encounters (number, account_id, patient_id, facility_id, provider_id, service_date, status, agency_id, sent_to_collections_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO lines (encounter_number, line, code, description, billed_cents, adjusted_cents, insurance_paid_cents, patient_paid_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStatement = db.prepare('INSERT INTO statements (account_id, date, due_date, amount_due_cents) VALUES (?, ?, ?, ?)');
  const insertPayment = db.prepare('INSERT INTO payments (account_id, date, amount_cents, method, status) VALUES (?, ?, ?, ?, ?)');

  // New accounts get ids above every existing one: the figures to compute are those from here on.
  const firstAccountId = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM accounts').pluck().get() as number) ?? 1;
  for (const account of dump.accounts) {
    const accountId = Number(
      insertAccount.run(account.accountNumber, account.guarantor.firstName, account.guarantor.lastName, groupId(account.group), account.unappliedFunds)
        .lastInsertRowid,
    );
    const patientIds = new Map<string, number>();
    for (const p of account.patients) {
      patientIds.set(p.id, Number(insertPatient.run(accountId, p.id, p.firstName, p.lastName).lastInsertRowid));
    }
    for (const e of account.encounters) {
      insertEncounter.run(
        e.number,
        accountId,
        patientIds.get(e.patient),
        facilityId(e.facility),
        providerId(e.provider),
        e.serviceDate,
        e.status,
        e.collectionAgency === undefined ? null : agencyId(e.collectionAgency),
        e.sentToCollectionsOn ?? null,
      );
      for (const l of e.lines) {
        insertLine.run(e.number, l.line, l.code, l.description, l.billed, l.adjusted, l.insurancePaid, l.patientPaid);
        summary.lines += 1;
      }
      summary.encounters += 1;
    }
    for (const s of account.statements) insertStatement.run(accountId, s.date, s.dueDate, s.amountDue);
    for (const p of account.payments) insertPayment.run(accountId, p.date, p.amount, p.method, p.status);
    summary.accounts += 1;
  }
  // The figures kept beside each account (docs/performance.md, "accounts list"), from what was just written.
  if (summary.accounts > 0) refreshAccountFigures(db, { kind: 'since', fromId: firstAccountId });
  return summary;
}

/** The whole store as a dump document, in a stable order (export → import → export is identical). */
export function readDump(db: DB): Record<string, unknown> {
  // A dump is the whole store: one that would leave records out is refused (exit 4).
  refuseDanglingReferences(db, 'export refused');
  const groups = listGroupsById(db).map((g) => {
    const out: Record<string, unknown> = { name: g.name };
    for (const setting of GROUP_SETTINGS) out[setting.key] = g[setting.key];
    return out;
  });
  const coded = (table: string, withPhone: boolean) =>
    (db.prepare(`SELECT code, name${withPhone ? ', phone' : ''} FROM ${table} ORDER BY id`).all() as Record<string, unknown>[]).map((row) =>
      withPhone ? { code: row.code, name: row.name, phone: row.phone } : { code: row.code, name: row.name },
    );

  const groupNames = new Map(listGroups(db).map((g) => [g.id, g.name]));
  const accounts: Record<string, unknown>[] = [];
  for (const a of readAccounts(db)) {
    const group = groupNames.get(a.groupId)!; // refuseDanglingReferences: every account's group exists
    accounts.push({
      accountNumber: a.accountNumber,
      guarantor: { firstName: a.guarantor.firstName, lastName: a.guarantor.lastName },
      group,
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
    });
  }
  return {
    format: 'pops-dump',
    version: 1,
    groups,
    collectionAgencies: coded('collection_agencies', true),
    facilities: coded('facilities', false),
    providers: coded('providers', false),
    accounts,
  };
}

function listGroupsById(db: DB) {
  return listGroups(db).sort((a, b) => a.id - b.id);
}

/**
 * Validate the whole document — schema, cross-field rules and the store's
 * conflicts and references, all reported in one run — then write it in one
 * transaction; any problem → exit 2, nothing written.
 */
export function importDocument(db: DB, document: unknown, options: { replace: boolean; actor: string }): ImportSummary {
  const checked = checkDump(document);
  // With --replace the store is emptied first: nothing in it conflicts, and references resolve against the dump alone.
  const storeProblems = (): Problem[] =>
    withoutPlaces(
      [...(options.replace ? [] : findConflicts(db, checked.outline)), ...findUnresolved(options.replace ? undefined : db, checked.outline)],
      checked.schemaPlaces,
    );
  if (checked.dump === undefined || checked.problems.length > 0) {
    // Read in one read transaction, so the conflicts are those of one state of the store; nothing is written.
    throw new ValidationError([...checked.problems, ...db.transaction(storeProblems).deferred()]);
  }
  const { dump } = checked;
  const write = db.transaction(() => {
    const problems = storeProblems();
    if (problems.length > 0) throw new ValidationError(problems);
    const audit = new AuditBatch(db, options.actor);
    if (options.replace) clearContent(db, audit);
    return writeDump(db, dump, audit);
  });
  return write.immediate();
}
