// One import into either store (docs/formats.md, "How import reads a dump"):
// on SQLite the dump is checked and written straight into the store; on
// PostgreSQL it is checked and staged first (pg/pg-import.ts).
import type { JsonStreamHandler } from '../base/json-stream.js';
import { toDb, type Db, type DbLike, type SqliteDb } from './db.js';
import type { ImportSummary } from './dump.js';
import { DumpImport, type ImportOptions } from './dump-import.js';
import { PgImport } from './pg/pg-import.js';
import type { PgDb } from './pg/pg-db.js';

/** What the JSON reader hands the dump to; `finish` commits (or throws every problem), `close` always comes last. */
export interface ImportRun extends JsonStreamHandler {
  /** The document is not an object. */
  document(value: unknown): void;
  finish(): ImportSummary;
  close(): void;
}

export function startImport(db: Db, options: ImportOptions): ImportRun {
  return db.kind === 'sqlite' ? new DumpImport((db as SqliteDb).raw, options) : new PgImport(db as PgDb, options);
}

/**
 * Import a document already in memory (the demo, tests): the same checks and
 * writes as a streamed import, its top-level fields handed over in order.
 */
export function importDocument(db: DbLike, document: unknown, options: ImportOptions): ImportSummary {
  const run = startImport(toDb(db), options);
  try {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) run.document(document);
    else {
      for (const [key, value] of Object.entries(document)) {
        if (!Array.isArray(value)) {
          run.member(key, value);
          continue;
        }
        run.listStart(key);
        value.forEach((item, index) => run.element(key, index, item));
        run.listEnd(key, value.length);
      }
    }
    return run.finish();
  } finally {
    run.close();
  }
}
