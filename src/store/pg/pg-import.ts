// Import into a PostgreSQL store (docs/store.md, "PostgreSQL"): the dump is
// checked and written by the same code as on SQLite (../dump-import.ts), into
// a private scratch store (openScratchStore) that holds what the checks must
// see of the PostgreSQL store — its groups and codes, and, unless --replace
// empties it, its account and encounter numbers. Once the whole document is
// good, the rows it added are copied into PostgreSQL in large batches, with
// ids drawn from PostgreSQL's own sequences (never reused), and the
// transaction commits. The PostgreSQL transaction holds pops's write lock
// from the document's first value to the end, as SQLite's import holds its
// write lock: what was checked is what is written on.
import type { JsonStreamHandler } from '../../base/json-stream.js';
import type { DB } from '../open.js';
import { openScratchStore } from '../open.js';
import { DumpImport, refuseNonEmpty, type ImportOptions } from '../dump-import.js';
import type { ImportSummary } from '../dump.js';
import type { PgDb } from './pg-db.js';

/** Rows per statement when copying: one JSON parameter each (large enough that a round trip costs little per row). */
const COPY_BATCH = 2_000;

/** The tables whose rows get ids from a sequence, and the tables each id column refers to. */
type IdTable = 'groups' | 'collection_agencies' | 'facilities' | 'providers' | 'accounts' | 'patients' | 'payments';

interface CopiedTable {
  table: string;
  /** The scratch store's new rows: a condition on the table's own columns (its one parameter is a mark). */
  newRows: string;
  /** The table whose mark (highest id before the import) the condition compares with. */
  mark: IdTable | 'audit_log';
  /** Columns whose values are ids of another table (or this one's own `id`). */
  refers: Partial<Record<string, IdTable>>;
  /** Columns not copied (an id PostgreSQL always makes itself). */
  skip?: string[];
  order: string;
}

/** In the order of their foreign keys: what a row refers to is copied before it. */
const COPIED: readonly CopiedTable[] = [
  { table: 'groups', newRows: 'id > ?', mark: 'groups', refers: { id: 'groups' }, order: 'id' },
  { table: 'collection_agencies', newRows: 'id > ?', mark: 'collection_agencies', refers: { id: 'collection_agencies' }, order: 'id' },
  { table: 'facilities', newRows: 'id > ?', mark: 'facilities', refers: { id: 'facilities' }, order: 'id' },
  { table: 'providers', newRows: 'id > ?', mark: 'providers', refers: { id: 'providers' }, order: 'id' },
  { table: 'accounts', newRows: 'id > ?', mark: 'accounts', refers: { id: 'accounts', group_id: 'groups' }, order: 'id' },
  { table: 'patients', newRows: 'id > ?', mark: 'patients', refers: { id: 'patients', account_id: 'accounts' }, order: 'id' },
  {
    table: 'encounters',
    newRows: 'account_id > ?',
    mark: 'accounts',
    refers: { account_id: 'accounts', patient_id: 'patients', facility_id: 'facilities', provider_id: 'providers', agency_id: 'collection_agencies' },
    order: 'number',
  },
  {
    table: 'lines',
    newRows: 'encounter_number IN (SELECT number FROM encounters WHERE account_id > ?)',
    mark: 'accounts',
    refers: {},
    order: 'encounter_number, line',
  },
  { table: 'statements', newRows: 'account_id > ?', mark: 'accounts', refers: { account_id: 'accounts' }, order: 'account_id, date' },
  { table: 'payments', newRows: 'id > ?', mark: 'payments', refers: { id: 'payments', account_id: 'accounts' }, order: 'id' },
  { table: 'account_figures', newRows: 'account_id > ?', mark: 'accounts', refers: { account_id: 'accounts' }, order: 'account_id' },
  { table: 'audit_log', newRows: 'id > ?', mark: 'audit_log', refers: { group_id: 'groups' }, skip: ['id'], order: 'id' },
];

const ID_TABLES: readonly IdTable[] = ['groups', 'collection_agencies', 'facilities', 'providers', 'accounts', 'patients', 'payments'];

/** One import into a PostgreSQL store, called as DumpImport is. */
export class PgImport implements JsonStreamHandler {
  private scratch: DB | undefined;
  private inner: DumpImport | undefined;
  private open = false;
  private done = false;
  /** The scratch store's highest id of each table before the import: rows above it are the import's. */
  private marks!: Record<IdTable | 'audit_log', number>;

  constructor(
    private readonly db: PgDb,
    private readonly options: ImportOptions,
  ) {}

  /** With the document's first value: the PostgreSQL transaction, and the scratch store that mirrors what the checks need. */
  private begin(): DumpImport {
    if (this.inner !== undefined) return this.inner;
    this.db.beginWrite();
    this.open = true;
    refuseNonEmpty(this.db, this.options);
    this.scratch = openScratchStore();
    this.seed(this.scratch);
    this.marks = Object.fromEntries(
      [...ID_TABLES, 'audit_log'].map((table) => [table, this.scratch!.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number]),
    ) as PgImport['marks'];
    this.inner = new DumpImport(this.scratch, this.options);
    return this.inner;
  }

  /**
   * The PostgreSQL store's groups and codes, whole and with their ids; its
   * account and encounter numbers (the rest of those rows filled with
   * stand-ins no check reads), unless --replace empties the store first.
   */
  private seed(scratch: DB): void {
    // The stand-ins refer to no real row.
    scratch.pragma('foreign_keys = OFF');
    const copy = (table: string) => {
      const columns = columnsOf(scratch, table);
      const insert = scratch.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const row of this.db.connection.cursor(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY id`, [], 5_000)) insert.run(row);
    };
    scratch.transaction(() => {
      copy('groups');
      if (this.options.replace) return;
      copy('collection_agencies');
      copy('facilities');
      copy('providers');
      const account = scratch.prepare(
        "INSERT INTO accounts (id, account_number, guarantor_first_name, guarantor_last_name, group_id) VALUES (?, ?, '', '', 0)",
      );
      for (const row of this.db.connection.cursor('SELECT id, account_number FROM accounts', [], 10_000)) account.run(row);
      const encounter = scratch.prepare(
        "INSERT INTO encounters (number, account_id, patient_id, facility_id, provider_id, service_date) VALUES (?, ?, 0, 0, 0, '')",
      );
      for (const row of this.db.connection.cursor('SELECT number, account_id FROM encounters', [], 10_000)) encounter.run(row);
    })();
  }

  document(value: unknown): void {
    this.begin().document(value);
  }

  member(key: string, value: unknown): void {
    this.begin().member(key, value);
  }

  listStart(key: string): void {
    this.begin().listStart(key);
  }

  element(key: string, index: number, value: unknown): void {
    this.begin().element(key, index, value);
  }

  listEnd(): void {
    this.inner?.listEnd();
  }

  /** Check the whole document (DumpImport.finish, which throws every problem), then copy what it wrote and commit. */
  finish(): ImportSummary {
    const summary = this.begin().finish();
    if (this.options.replace) {
      // The store's content, as clearContent empties it (the audit log stays).
      for (const table of [
        'account_figures',
        'lines',
        'encounters',
        'payments',
        'statements',
        'patients',
        'accounts',
        'collection_agencies',
        'facilities',
        'providers',
        'groups',
      ]) {
        this.db.run(`DELETE FROM ${table}`);
      }
    }
    this.copy(this.scratch!);
    this.db.commit();
    this.open = false;
    this.done = true;
    return summary;
  }

  /** Every row the import added to the scratch store, into PostgreSQL, its ids those of PostgreSQL's sequences. */
  private copy(scratch: DB): void {
    const ids = new Map<IdTable, IdMap>();
    for (const table of ID_TABLES) {
      const highest = scratch.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number;
      const span = highest - this.marks[table];
      const fresh = span <= 0 ? [] : this.db.column<number>(`SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?::int)`, [table, span]);
      ids.set(table, { mark: this.marks[table], fresh });
    }
    for (const { table, newRows, mark, refers, skip = [], order } of COPIED) {
      const columns = columnsOf(scratch, table).filter((column) => !skip.includes(column));
      const mapped = columns.map((column) => (refers[column] === undefined ? undefined : ids.get(refers[column])!));
      const insert = `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::"${table}", ?::json)`;
      let batch: Record<string, unknown>[] = [];
      const rows = scratch
        .prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${newRows} ORDER BY ${order}`)
        .raw()
        .iterate(this.marks[mark]) as IterableIterator<unknown[]>;
      for (const row of rows) {
        const object: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) object[columns[i]] = mapped[i] === undefined ? row[i] : pgId(mapped[i]!, row[i] as number | null);
        batch.push(object);
        if (batch.length === COPY_BATCH) {
          this.db.run(insert, [JSON.stringify(batch)]);
          batch = [];
        }
      }
      if (batch.length > 0) this.db.run(insert, [JSON.stringify(batch)]);
    }
  }

  /** Roll back unless `finish` committed; the scratch store goes in any case. */
  close(): void {
    try {
      this.inner?.close();
      this.scratch?.close();
    } finally {
      if (this.open && !this.done) this.db.rollback();
      this.open = false;
      this.done = true;
    }
  }
}

/** A table's ids: those up to `mark` are the store's own, those above it this import's, given `fresh` ones in order. */
interface IdMap {
  mark: number;
  fresh: number[];
}

function pgId(map: IdMap, id: number | null): number | null {
  return id === null || id <= map.mark ? id : map.fresh[id - map.mark - 1];
}

function columnsOf(db: DB, table: string): string[] {
  return db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[];
}
