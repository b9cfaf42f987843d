// What shell completion reads from the store (docs/completion.md): group
// names, and account numbers that begin with what has been typed — each one
// indexed query.
import { toDb, type DbLike } from './db.js';

/** Every group's name, in the order lists show them. */
export function groupNames(db: DbLike): string[] {
  return toDb(db).column<string>('SELECT name FROM groups ORDER BY name_key, id');
}

/** Account numbers that begin with `prefix` (as typed), in order; at most `limit`. */
export function accountNumbersFrom(db: DbLike, prefix: string, limit: number): string[] {
  // A range of the account-number index: every text that begins with the prefix sorts between these two.
  return toDb(db).column<string>('SELECT account_number FROM accounts WHERE account_number >= ? AND account_number < ? ORDER BY account_number LIMIT ?', [
    prefix,
    `${prefix}\u{10FFFF}`,
    limit,
  ]);
}
