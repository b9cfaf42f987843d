// Rows that refer to missing rows: a store only a tool with foreign keys off
// can make, which `pops doctor` reports. Commands that must show the whole
// store (export) or every account's page (preview --all) refuse such a store
// instead of leaving records out (docs/store.md, "An inconsistent store").
import type { DB } from './open.js';
import { StoreError } from '../base/errors.js';

/** The hint of every refusal of an inconsistent store. */
export const DOCTOR_HINT = 'Run `pops doctor` to list every problem; nothing was written.';
const SAMPLE = 5;

/** Exit 4 when any account belongs to a group that does not exist; `refused` says what was not done. */
export function refuseAccountsWithoutGroup(db: DB, refused: string): void {
  const count = db.prepare('SELECT count(*) FROM accounts WHERE group_id NOT IN (SELECT id FROM groups)').pluck().get() as number;
  if (count === 0) return;
  const sample = db
    .prepare(`SELECT account_number FROM accounts WHERE group_id NOT IN (SELECT id FROM groups) ORDER BY account_number LIMIT ${SAMPLE}`)
    .pluck()
    .all() as string[];
  const numbers = `${sample.join(', ')}${count > SAMPLE ? ', …' : ''}`;
  throw new StoreError(
    `store is inconsistent: ${count === 1 ? `account ${numbers} belongs` : `${count} accounts (${numbers}) belong`} to a group that does not exist; ${refused}`,
    DOCTOR_HINT,
  );
}

/** Exit 4 when any row refers to a missing row (accounts without a group named first, as above). */
export function refuseDanglingReferences(db: DB, refused: string): void {
  refuseAccountsWithoutGroup(db, refused);
  const dangling = db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
  if (dangling.length === 0) return;
  const first = dangling[0];
  const rows = dangling.length === 1 ? '1 row refers' : `${dangling.length} rows refer`;
  // Tables without rowids (lines, statements) report none.
  const example = `${first.rowid === null ? `a row of ${first.table}` : `${first.table} row ${first.rowid}`} refers to a missing ${first.parent} row`;
  throw new StoreError(`store is inconsistent: ${rows} to a missing row (${example}); ${refused}`, DOCTOR_HINT);
}
