// Import of a dump read as a stream (docs/formats.md, "How import reads a
// dump"): each element of the dump's lists is checked when it arrives and,
// while nothing is wrong, written at once, all in one write transaction that
// commits only when the whole document has been read and found good. Any
// problem rolls it back: nothing is written. What is kept across elements is
// only what the checks need — the keys that must be unique (in a temporary
// table), the groups' and codes' keys, and, for a dump whose accounts come
// before the lists they refer to, those accounts themselves (also in a
// temporary table) — so memory does not grow with the dump.
import type { Statement } from 'better-sqlite3';
import type { DB } from './open.js';
import { toDb, type DbLike } from './db.js';
import {
  DUMP_LISTS,
  accountRules,
  checkDumpElement,
  checkDumpSkeleton,
  codedRules,
  groupRules,
  withoutPlaces,
  type DumpAccount,
  type DumpCoded,
  type DumpGroup,
  type DumpList,
  type OutlineAccount,
  type OutlineCoded,
  type OutlineGroup,
  type SeenKeys,
} from '../domain/dump-schema.js';
import { MAX_PROBLEMS_SHOWN, ValidationError, type Problem } from '../base/errors.js';
import { AuditBatch } from './audit.js';
import { nameKey } from './groups.js';
import { clearContent, DumpWriter, type CodedList, type ImportSummary } from './dump.js';

export interface ImportOptions {
  /** Replace the store's content (emptied first, in the same transaction). */
  replace: boolean;
  actor: string;
  /** Refuse with this error, inside the import's own write transaction, a store that holds any group or account (`init --demo`). */
  onlyIntoEmpty?: Error;
}

/** Throw `options.onlyIntoEmpty` when the store holds any group or account: call inside the import's write transaction. */
export function refuseNonEmpty(db: DbLike, options: ImportOptions): void {
  if (options.onlyIntoEmpty === undefined) return;
  if (toDb(db).value<number>('SELECT (SELECT count(*) FROM groups) + (SELECT count(*) FROM accounts)')! > 0) throw options.onlyIntoEmpty;
}

type ReferenceKind = 'group' | 'facility' | 'provider' | 'agency';
const REFERENCE_LIST: Record<ReferenceKind, DumpList> = {
  group: 'groups',
  facility: 'facilities',
  provider: 'providers',
  agency: 'collectionAgencies',
};
const NO_SUCH: Record<ReferenceKind, string> = { group: 'group', facility: 'facility', provider: 'provider', agency: 'collection agency' };

/** The first problems of one kind, and how many there were in all. */
class ProblemList {
  readonly shown: Problem[] = [];
  count = 0;
  add(problems: readonly Problem[]): void {
    for (const problem of problems) {
      this.count += 1;
      if (this.shown.length < MAX_PROBLEMS_SHOWN) this.shown.push(problem);
    }
  }
}

/**
 * One import. The reader (base/json-stream.ts) calls `member`, `listStart`,
 * `element`, `listEnd` (or `document`) in document order, then the caller
 * calls `finish` — which commits — and in any case `close`.
 */
export class DumpImport {
  private begun = false;
  private done = false;
  /** No problem yet: elements are written as they come. */
  private writing = true;
  // Problems by kind, reported in this order (docs/formats.md, "How import checks a dump").
  private readonly schema = new ProblemList();
  private readonly rules = new ProblemList();
  private readonly conflicts = new ProblemList();
  private readonly references = new ProblemList();
  /** The top-level fields, each list that is an array given as [] (checkDumpSkeleton). */
  // (A Map, then an object made by Object.fromEntries: a field named `__proto__` stays a field.)
  private readonly skeleton = new Map<string, unknown>();
  private notAnObject: { value: unknown } | undefined;
  private readonly fields = new Set<string>();
  /** The list whose elements are being read (undefined while an unknown or repeated one is). */
  private list: DumpList | undefined;
  private readonly listsRead = new Set<DumpList>();
  /** A list has an entry too broken to name its key: references of that kind are not judged. */
  private readonly broken = new Set<ReferenceKind>();
  private readonly groupKeys = new Map<string, number>();
  private readonly codes: Record<CodedList, Map<string, number>> = { collectionAgencies: new Map(), facilities: new Map(), providers: new Map() };
  private audit!: AuditBatch;
  private writer!: DumpWriter;
  private seen!: SeenKeys;
  /** Rows at or above these ids were written by this import (conflicts are with the store's own rows only). */
  private firstNew!: { accounts: number; groups: number } & Record<CodedList, number>;
  private statements!: {
    storeHas: Record<ReferenceKind, Statement>;
    groupConflict: Statement;
    codedConflict: Record<CodedList, Statement>;
    pendingReference: Statement;
    pendingAccount: Statement;
  };
  /** Keeps an account's keys that are not in the store's tables (see `account`). */
  private keepKey!: Statement;
  private keptKeys = 0;
  /** The store's rows (account id) for the current account's numbers. */
  private readonly rows = { accounts: new Map<string, number | undefined>(), encounters: new Map<number, number | undefined>() };
  private rowOf!: { account(number: string): number | undefined; encounter(number: number): number | undefined };
  /** The index of the first account written at once (its keys are then found in the store's tables). */
  private firstWritten: number | undefined;
  private pendingReferences = 0;
  private pendingAccounts = 0;

  constructor(
    private readonly db: DB,
    private readonly options: ImportOptions,
  ) {}

  /** The write transaction begins with the document's first value (not while waiting for input). */
  private begin(): void {
    if (this.begun) return;
    this.begun = true;
    const db = this.db;
    db.exec('BEGIN IMMEDIATE');
    refuseNonEmpty(db, this.options);
    // The temporary tables grow with the dump: their pages go to a temporary file, through a small cache.
    db.exec(`
      PRAGMA temp.cache_size = -2048;
      CREATE TEMP TABLE IF NOT EXISTS import_keys (key TEXT PRIMARY KEY, place INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TEMP TABLE IF NOT EXISTS import_references (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, place TEXT NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS import_accounts (seq INTEGER PRIMARY KEY, account TEXT NOT NULL);
      DELETE FROM temp.import_keys; DELETE FROM temp.import_references; DELETE FROM temp.import_accounts;`);
    this.audit = new AuditBatch(db, this.options.actor);
    if (this.options.replace) clearContent(db, this.audit);
    const next = (table: string) => db.prepare(`SELECT coalesce(max(id), 0) + 1 FROM ${table}`).pluck().get() as number;
    this.firstNew = {
      accounts: next('accounts'),
      groups: next('groups'),
      collectionAgencies: next('collection_agencies'),
      facilities: next('facilities'),
      providers: next('providers'),
    };
    this.writer = new DumpWriter(db, this.audit);
    const firstIndex = (map: Map<string, number>, key: string, index: number): number | undefined => {
      const before = map.get(key);
      if (before === undefined) map.set(key, index);
      return before;
    };
    // The store's rows with an account's numbers, looked up once per account for both the rules and the conflicts.
    const accountId = db.prepare('SELECT id FROM accounts WHERE account_number = ?').pluck();
    const encounterAccount = db.prepare('SELECT account_id FROM encounters WHERE number = ?').pluck();
    this.rowOf = {
      account: (number) => {
        if (!this.rows.accounts.has(number)) this.rows.accounts.set(number, accountId.get(number) as number | undefined);
        return this.rows.accounts.get(number);
      },
      encounter: (number) => {
        if (!this.rows.encounters.has(number)) this.rows.encounters.set(number, encounterAccount.get(number) as number | undefined);
        return this.rows.encounters.get(number);
      },
    };
    const keptKey = db.prepare('SELECT place FROM temp.import_keys WHERE key = ?').pluck();
    const kept = (key: string): number | undefined => (this.keptKeys === 0 ? undefined : (keptKey.get(key) as number | undefined));
    // An account written at once has the id firstNew.accounts + (its index - firstWritten): see `account`.
    const writtenIndex = (id: number | undefined): number | undefined =>
      id !== undefined && id >= this.firstNew.accounts ? id - this.firstNew.accounts + this.firstWritten! : undefined;
    this.seen = {
      groupName: (key, index) => firstIndex(this.groupKeys, key, index),
      code: (list, code, index) => firstIndex(this.codes[list], code, index),
      accountNumber: (number) => writtenIndex(this.rowOf.account(number)) ?? kept(`a${number}`),
      encounterNumber: (number) => writtenIndex(this.rowOf.encounter(number)) ?? kept(`e${number}`),
    };
    this.keepKey = db.prepare('INSERT INTO temp.import_keys (key, place) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const storeHas = (table: string, column: string) => db.prepare(`SELECT 1 FROM ${table} WHERE ${column} = ?`).pluck();
    this.statements = {
      storeHas: {
        group: storeHas('groups', 'name_key'),
        facility: storeHas('facilities', 'code'),
        provider: storeHas('providers', 'code'),
        agency: storeHas('collection_agencies', 'code'),
      },
      groupConflict: db.prepare('SELECT name FROM groups WHERE name_key = ? AND id < ?').pluck(),
      codedConflict: {
        collectionAgencies: db.prepare('SELECT name FROM collection_agencies WHERE code = ? AND id < ?').pluck(),
        facilities: db.prepare('SELECT name FROM facilities WHERE code = ? AND id < ?').pluck(),
        providers: db.prepare('SELECT name FROM providers WHERE code = ? AND id < ?').pluck(),
      },
      pendingReference: db.prepare('INSERT INTO temp.import_references (kind, name, place) VALUES (?, ?, ?)'),
      pendingAccount: db.prepare('INSERT INTO temp.import_accounts (account) VALUES (?)'),
    };
  }

  /** The document is not an object. */
  document(value: unknown): void {
    this.begin();
    this.notAnObject = { value };
  }

  member(key: string, value: unknown): void {
    this.begin();
    if (!this.field(key)) return;
    this.skeleton.set(key, value);
    // A list given as something else than an array: the skeleton's check says so; it has no elements.
    if (isList(key)) this.listsRead.add(key);
  }

  listStart(key: string): void {
    this.begin();
    this.list = undefined;
    if (!this.field(key)) return;
    this.skeleton.set(key, []);
    // An unknown field is reported by the skeleton's check; its elements are not read.
    if (isList(key)) this.list = key;
  }

  element(_key: string, index: number, value: unknown): void {
    switch (this.list) {
      case undefined:
        return;
      case 'groups':
        return this.group(index, value);
      case 'accounts':
        return this.account(index, value);
      default:
        return this.coded(this.list, index, value);
    }
  }

  listEnd(): void {
    if (this.list !== undefined) this.listsRead.add(this.list);
    this.list = undefined;
  }

  /** A top-level field seen for the first time (a repeated one is a problem, and is not read again). */
  private field(key: string): boolean {
    if (!this.fields.has(key)) {
      this.fields.add(key);
      return true;
    }
    this.problem(this.schema, [{ where: key, message: 'the field appears more than once in the document' }]);
    return false;
  }

  private problem(kind: ProblemList, problems: readonly Problem[]): void {
    if (problems.length === 0) return;
    kind.add(problems);
    this.writing = false;
  }

  private group(index: number, item: unknown): void {
    const check = checkDumpElement('groups', index, item);
    const outline = check.outline as OutlineGroup | undefined;
    if (outline?.name === undefined) this.broken.add('group');
    this.problem(this.schema, check.problems);
    const rules = withoutPlaces(groupRules(outline, index, this.seen), check.schemaPlaces);
    this.problem(this.rules, rules);
    if (!this.options.replace && outline?.name !== undefined && rules.length === 0) {
      const existing = this.statements.groupConflict.get(nameKey(outline.name), this.firstNew.groups) as string | undefined;
      if (existing !== undefined) {
        this.problem(
          this.conflicts,
          withoutPlaces(
            [
              {
                where: `groups[${index}].name`,
                message: `group ${JSON.stringify(existing)} already exists in the store (use --replace to replace the store's content)`,
              },
            ],
            check.schemaPlaces,
          ),
        );
      }
    }
    if (this.writing) this.writer.group(check.value as DumpGroup);
  }

  private coded(list: CodedList, index: number, item: unknown): void {
    const check = checkDumpElement(list, index, item);
    const outline = check.outline as OutlineCoded | undefined;
    if (outline?.code === undefined) this.broken.add(referenceKindOf(list));
    this.problem(this.schema, check.problems);
    const rules = withoutPlaces(codedRules(list, outline, index, this.seen), check.schemaPlaces);
    this.problem(this.rules, rules);
    if (!this.options.replace && outline?.code !== undefined && outline.name !== undefined && rules.length === 0) {
      const existing = this.statements.codedConflict[list].get(outline.code, this.firstNew[list]) as string | undefined;
      if (existing !== undefined && existing !== outline.name) {
        this.problem(
          this.conflicts,
          withoutPlaces(
            [
              {
                where: `${list}[${index}].name`,
                message: `code ${JSON.stringify(outline.code)} already exists in the store with the name ${JSON.stringify(existing)}`,
              },
            ],
            check.schemaPlaces,
          ),
        );
      }
    }
    if (this.writing) this.writer.coded(list, check.value as DumpCoded);
  }

  private account(a: number, item: unknown): void {
    this.rows.accounts.clear();
    this.rows.encounters.clear();
    const check = checkDumpElement('accounts', a, item);
    const outline = check.outline as OutlineAccount | undefined;
    this.problem(this.schema, check.problems);
    this.problem(this.rules, withoutPlaces(accountRules(outline, a, this.seen), check.schemaPlaces));
    if (outline === undefined) return;
    if (!this.options.replace) this.problem(this.conflicts, withoutPlaces(this.accountConflicts(outline, a), check.schemaPlaces));
    // References resolve once every list they could name has been read (whatever the order of the document's fields).
    const ready =
      this.listsRead.has('groups') && this.listsRead.has('collectionAgencies') && this.listsRead.has('facilities') && this.listsRead.has('providers');
    if (ready) {
      this.problem(this.references, this.unresolved(outline, a, check.schemaPlaces));
      if (this.writing) {
        // Written at once, in the order of the dump: its keys are in the store's tables from now on (SeenKeys in begin).
        this.writer.account(check.value as DumpAccount);
        this.firstWritten ??= a;
        return;
      }
    } else {
      forEachReference(outline, a, (kind, name, where) => {
        const place = where();
        if (check.schemaPlaces.has(place)) return;
        this.statements.pendingReference.run(kind, name, place);
        this.pendingReferences += 1;
      });
      if (this.writing) {
        this.statements.pendingAccount.run(JSON.stringify(check.value));
        this.pendingAccounts += 1;
      }
    }
    // Not written now: its keys are kept for the checks of the accounts after it.
    if (outline.accountNumber !== undefined) this.keptKeys += this.keepKey.run(`a${outline.accountNumber}`, a).changes;
    for (const e of outline.encounters) if (e?.number !== undefined) this.keptKeys += this.keepKey.run(`e${e.number}`, a).changes;
  }

  /** An account's number and encounter numbers that the store already holds (its own rows, not this import's). */
  private accountConflicts(account: OutlineAccount, a: number): Problem[] {
    const problems: Problem[] = [];
    const before = (id: number | undefined): boolean => id !== undefined && id < this.firstNew.accounts;
    if (account.accountNumber !== undefined && before(this.rowOf.account(account.accountNumber))) {
      problems.push({
        where: `accounts[${a}].accountNumber`,
        message: `account ${account.accountNumber} already exists in the store (use --replace to replace the store's content)`,
      });
    }
    account.encounters.forEach((e, i) => {
      if (e?.number !== undefined && before(this.rowOf.encounter(e.number))) {
        problems.push({ where: `accounts[${a}].encounters[${i}].number`, message: `encounter ${e.number} already exists in the store` });
      }
    });
    return problems;
  }

  /**
   * An account's references that neither the dump nor the store holds (not
   * those at a place with a schema problem). A reference is not judged while
   * the dump's own list of that kind has an entry too broken to name it. With
   * --replace the store was emptied first: what it holds now is this import's.
   */
  private unresolved(account: OutlineAccount, a: number, schemaPlaces: ReadonlySet<string>): Problem[] {
    const problems: Problem[] = [];
    forEachReference(account, a, (kind, name, where) => {
      if (this.resolves(kind, name)) return;
      const place = where();
      if (!schemaPlaces.has(place)) problems.push({ where: place, message: `no such ${NO_SUCH[kind]} ${JSON.stringify(name)}` });
    });
    return problems;
  }

  private resolves(kind: ReferenceKind, name: string): boolean {
    if (this.broken.has(kind)) return true;
    const key = kind === 'group' ? nameKey(name) : name;
    const inDump = kind === 'group' ? this.groupKeys.has(key) : this.codes[REFERENCE_LIST[kind] as CodedList].has(key);
    return inDump || this.statements.storeHas[kind].get(key) !== undefined;
  }

  /**
   * The whole document has been read: check its top-level fields, resolve the
   * references that had to wait, and commit, or throw every problem (the
   * transaction is then rolled back by `close`).
   */
  finish(): ImportSummary {
    this.begin();
    this.problem(this.schema, checkDumpSkeleton(this.notAnObject ? this.notAnObject.value : Object.fromEntries(this.skeleton)));
    const kinds = [this.schema, this.rules, this.conflicts, this.pendingProblems(), this.references];
    const total = kinds.reduce((sum, kind) => sum + kind.count, 0);
    if (total > 0) {
      throw new ValidationError(
        kinds.flatMap((kind) => kind.shown),
        total,
      );
    }
    // Written a batch at a time: better-sqlite3 allows no write while a query is being iterated.
    for (const rows of this.pending<[number, string]>('SELECT seq, account FROM temp.import_accounts WHERE seq > ? ORDER BY seq LIMIT 500')) {
      for (const [, account] of rows) this.writer.account(JSON.parse(account) as DumpAccount);
    }
    const summary = this.writer.finish();
    this.db.exec('DELETE FROM temp.import_keys; DELETE FROM temp.import_references; DELETE FROM temp.import_accounts; COMMIT');
    this.done = true;
    return summary;
  }

  /** The references that waited for the lists (in document order, before any other: see `account`). */
  private pendingProblems(): ProblemList {
    const problems = new ProblemList();
    if (this.pendingReferences === 0) return problems;
    for (const rows of this.pending<[number, ReferenceKind, string, string]>(
      'SELECT seq, kind, name, place FROM temp.import_references WHERE seq > ? ORDER BY seq LIMIT 500',
    )) {
      for (const [, kind, name, where] of rows) {
        if (!this.resolves(kind, name)) problems.add([{ where, message: `no such ${NO_SUCH[kind]} ${JSON.stringify(name)}` }]);
      }
    }
    return problems;
  }

  /** The rows of a temporary table, a batch at a time (`sql` takes the last seq read, and gives seq first). */
  private *pending<Row extends [number, ...unknown[]]>(sql: string): Generator<Row[]> {
    const statement = this.db.prepare(sql).raw();
    for (let after = 0; ;) {
      const rows = statement.all(after) as Row[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1][0];
    }
  }

  /** Roll back unless `finish` committed. */
  close(): void {
    if (this.begun && !this.done && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.done = true;
  }
}

/** Each reference of an account (its group; its encounters' facility, provider and agency), its place made only when asked for. */
function forEachReference(account: OutlineAccount, a: number, visit: (kind: ReferenceKind, name: string, where: () => string) => void): void {
  if (account.group !== undefined) visit('group', account.group, () => `accounts[${a}].group`);
  account.encounters.forEach((e, i) => {
    if (e === undefined) return;
    if (e.facility !== undefined) visit('facility', e.facility, () => `accounts[${a}].encounters[${i}].facility`);
    if (e.provider !== undefined) visit('provider', e.provider, () => `accounts[${a}].encounters[${i}].provider`);
    if (e.collectionAgency !== undefined) visit('agency', e.collectionAgency, () => `accounts[${a}].encounters[${i}].collectionAgency`);
  });
}

function referenceKindOf(list: CodedList): ReferenceKind {
  return list === 'facilities' ? 'facility' : list === 'providers' ? 'provider' : 'agency';
}

function isList(key: string): key is DumpList {
  return (DUMP_LISTS as readonly string[]).includes(key);
}
