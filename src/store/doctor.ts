// The checks behind `pops doctor`.
import type { DB } from './open.js';
import { hasPaymentMethod } from '../domain/group-settings.js';
import { listGroups } from './groups.js';

export interface Finding {
  kind: 'integrity' | 'foreign-key' | 'config';
  message: string;
}

export function findingsOf(db: DB): Finding[] {
  const findings: Finding[] = [];
  for (const row of db.pragma('integrity_check') as { integrity_check: string }[]) {
    if (row.integrity_check !== 'ok') findings.push({ kind: 'integrity', message: row.integrity_check });
  }
  for (const row of db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
    findings.push({ kind: 'foreign-key', message: `${row.table} row ${row.rowid} refers to a missing ${row.parent} row` });
  }
  for (const group of listGroups(db)) {
    if (group.showCollections && group.footerPhone === null) {
      findings.push({ kind: 'config', message: `group "${group.name}" has Show Collections on but no footer number` });
    }
    if (!hasPaymentMethod(group)) {
      findings.push({ kind: 'config', message: `group "${group.name}" has no payment method on (credit card, Apple Pay, Google Pay)` });
    }
  }
  const orphans = db.prepare('SELECT account_number FROM accounts WHERE group_id NOT IN (SELECT id FROM groups) ORDER BY account_number').all() as {
    account_number: string;
  }[];
  for (const row of orphans) findings.push({ kind: 'config', message: `account ${row.account_number} belongs to a group that does not exist` });
  const noAgency = db
    .prepare(
      `SELECT e.number, a.account_number FROM encounters e JOIN accounts a ON a.id = e.account_id
       WHERE e.status = 'collections' AND (e.agency_id IS NULL OR e.agency_id NOT IN (SELECT id FROM collection_agencies)) ORDER BY e.number`,
    )
    .all() as { number: number; account_number: string }[];
  for (const row of noAgency)
    findings.push({ kind: 'config', message: `encounter ${row.number} of account ${row.account_number} is in collections without a collection agency` });
  return findings;
}
