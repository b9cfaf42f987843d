// A logical picture of a store: every row of every table (audit log included),
// read through SQLite, so two stores compare equal exactly when they hold the
// same data, whatever their pages look like. The audit log's clock and batch
// id are left out: two runs of one command never share them.
import Database from 'better-sqlite3';

export type StoreState = Record<string, unknown[]>;

export function storeState(db: string): StoreState {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    const state: StoreState = {};
    for (const table of tables) {
      // Each row as one JSON text, made and sorted by SQLite: far quicker than in JavaScript for large stores.
      const columns = (sqlite.pragma(`table_info("${table}")`) as { name: string }[])
        .map((c) => c.name)
        .filter((name) => table !== 'audit_log' || (name !== 'at' && name !== 'batch'));
      const row = `json_object(${columns.map((name) => `'${name}', "${name}"`).join(', ')})`;
      state[table] = sqlite.prepare(`SELECT ${row} AS row FROM "${table}" ORDER BY row`).pluck().all();
    }
    state.user_version = [sqlite.pragma('user_version', { simple: true })];
    return state;
  } finally {
    sqlite.close();
  }
}
