// A logical picture of a store: every row of every table (audit log included),
// read through SQLite, so two stores compare equal exactly when they hold the
// same data, whatever their pages look like. The audit log's clock and batch
// id are left out: two runs of one command never share them.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/cli.js';

export type StoreState = Record<string, unknown[]>;

export function storeState(db: string): StoreState {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    const state: StoreState = {};
    for (const table of tables) {
      const rows = sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      const comparable = rows.map((row) => {
        if (table !== 'audit_log') return row;
        const { at: _at, batch: _batch, ...rest } = row;
        return rest;
      });
      state[table] = comparable.map((row) => JSON.stringify(row)).sort();
    }
    state.user_version = [sqlite.pragma('user_version', { simple: true })];
    return state;
  } finally {
    sqlite.close();
  }
}

/** A copy of a store file (closed, so there is no WAL to copy) in a fresh directory. */
export function copyStore(source: string): string {
  const target = path.join(tempDir(), 'pops.db');
  fs.copyFileSync(source, target);
  return target;
}

