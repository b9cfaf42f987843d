// The append-only audit log of group changes (docs/commands.md). The schema rejects
// UPDATE and DELETE; this module only ever inserts and reads.
import { lazyModule } from '../base/lazy.js';

// Loaded when a change is first audited (start-up, docs/performance.md).
const crypto = lazyModule<typeof import('node:crypto')>('node:crypto');
import { toDb, type Db, type DbLike } from './db.js';
import { groupNameKey } from '../domain/group-names.js';

export type AuditAction = 'create' | 'set' | 'rename' | 'delete';

export interface AuditEntry {
  at: string;
  actor: string;
  action: AuditAction;
  group: string;
  field: string | null;
  /** JSON values: booleans, E.164 phones, strings, or null when unset. */
  from: unknown;
  to: unknown;
  batch: string;
}

export interface AuditChange {
  action: AuditAction;
  groupId: number;
  group: string;
  field?: string | null;
  from?: unknown;
  to?: unknown;
}

/** One command run: every row it writes shares a batch id, actor and time. */
export class AuditBatch {
  readonly id = crypto().randomUUID();
  readonly at = new Date().toISOString();
  private readonly db: Db;
  constructor(
    db: DbLike,
    readonly actor: string,
  ) {
    this.db = toDb(db);
  }

  record(change: AuditChange): void {
    this.db.run(
      `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [this.at, this.actor, change.action, change.groupId, change.group, change.field ?? null, auditJson(change.from), auditJson(change.to), this.id],
    );
  }

  /**
   * Many rows in one statement: they travel as one JSON parameter, read by
   * json_each, which gives them in array order, so they are inserted (and
   * numbered) in the order given. No ORDER BY on SQLite: sorting a hundred
   * thousand rows into the order they already have costs a third of the
   * insert. On PostgreSQL the order is asked for (WITH ORDINALITY).
   */
  recordAll(changes: readonly AuditChange[]): void {
    if (changes.length === 0) return;
    const rows = changes.map((c) => [c.action, c.groupId, c.group, c.field ?? null, auditJson(c.from), auditJson(c.to)]);
    const source =
      this.db.kind === 'sqlite'
        ? `SELECT ?, ?, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, ? FROM json_each(?) AS j`
        : `SELECT ?, ?, j.value ->> 0, (j.value ->> 1)::bigint, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, ?
           FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS j (value, n) ORDER BY j.n`;
    this.db.run(`INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch) ${source}`, [
      this.at,
      this.actor,
      this.id,
      JSON.stringify(rows),
    ]);
  }
}

/** A value as the log keeps it: JSON text, or NULL when the change has none. */
function auditJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

interface AuditRow {
  at: string;
  actor: string;
  action: AuditAction;
  group_name: string;
  field: string | null;
  from_value: string | null;
  to_value: string | null;
  batch: string;
}

/**
 * The log, newest first; with `groupId`, the rows of that group only. Ids are
 * never reused since migration 2, but an older store may have handed out a
 * deleted group's id again: the rows before the latest `create` of that id
 * belong to the earlier group and are left out.
 */
export function readAudit(db: DbLike, options: { groupId?: number; limit?: number }): AuditEntry[] {
  const where =
    options.groupId === undefined ? '' : `WHERE group_id = ? AND id >= coalesce((SELECT max(id) FROM audit_log WHERE group_id = ? AND action = 'create'), 0)`;
  const limit = options.limit === undefined ? '' : 'LIMIT ?';
  const params = [...(options.groupId === undefined ? [] : [options.groupId, options.groupId]), ...(options.limit === undefined ? [] : [options.limit])];
  const rows = toDb(db).all<AuditRow>(
    `SELECT at, actor, action, group_name, field, from_value, to_value, batch FROM audit_log ${where} ORDER BY id DESC ${limit}`,
    params,
  );
  return rows.map((row) => ({
    at: row.at,
    actor: row.actor,
    action: row.action,
    group: row.group_name,
    field: row.field,
    from: row.from_value === null ? null : JSON.parse(row.from_value),
    to: row.to_value === null ? null : JSON.parse(row.to_value),
    batch: row.batch,
  }));
}

/**
 * A deleted group named on the command line (`audit --group`): by its id, when
 * the log has rows of that id, else by the name it had when it was deleted
 * (compared as group names are), the latest such deletion. Undefined when the
 * log knows no such group.
 */
export function findDeletedGroupId(given: DbLike, reference: string): number | undefined {
  const db = toDb(given);
  const text = reference.trim();
  if (/^\d{1,15}$/.test(text)) {
    const byId = db.value<number>("SELECT group_id FROM audit_log WHERE group_id = ? AND action = 'delete' LIMIT 1", [Number(text)]);
    if (byId !== undefined) return byId;
  }
  const key = groupNameKey(text);
  const deletions = db.rows<[number, string]>("SELECT group_id, group_name FROM audit_log WHERE action = 'delete' ORDER BY id DESC");
  for (const [groupId, name] of deletions) if (groupNameKey(name) === key) return groupId;
  return undefined;
}
