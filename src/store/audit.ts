// The append-only audit log of group changes (docs/commands.md). The schema rejects
// UPDATE and DELETE; this module only ever inserts and reads.
import { lazyModule } from '../base/lazy.js';

// Loaded when a change is first audited (start-up, docs/performance.md).
const crypto = lazyModule<typeof import('node:crypto')>('node:crypto');
import type { DB } from './open.js';
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
  private readonly insert;
  constructor(
    private readonly db: DB,
    readonly actor: string,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  record(change: AuditChange): void {
    this.insert.run(
      this.at,
      this.actor,
      change.action,
      change.groupId,
      change.group,
      change.field ?? null,
      auditJson(change.from),
      auditJson(change.to),
      this.id,
    );
  }

  /**
   * Many rows in one statement: they travel as one JSON parameter, read by
   * json_each, which gives them in array order, so they are inserted (and
   * numbered) in the order given. No ORDER BY: sorting a hundred thousand rows
   * into the order they already have costs a third of the insert.
   */
  recordAll(changes: readonly AuditChange[]): void {
    if (changes.length === 0) return;
    const rows = changes.map((c) => [c.action, c.groupId, c.group, c.field ?? null, auditJson(c.from), auditJson(c.to)]);
    this.db
      .prepare(
        `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
         SELECT @at, @actor, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, @batch
         FROM json_each(@rows) AS j`,
      )
      .run({ at: this.at, actor: this.actor, batch: this.id, rows: JSON.stringify(rows) });
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
export function readAudit(db: DB, options: { groupId?: number; limit?: number }): AuditEntry[] {
  const where =
    options.groupId === undefined
      ? ''
      : `WHERE group_id = @groupId AND id >= coalesce((SELECT max(id) FROM audit_log WHERE group_id = @groupId AND action = 'create'), 0)`;
  const limit = options.limit === undefined ? '' : 'LIMIT @limit';
  const rows = db.prepare(`SELECT at, actor, action, group_name, field, from_value, to_value, batch FROM audit_log ${where} ORDER BY id DESC ${limit}`).all({
    ...(options.groupId === undefined ? {} : { groupId: options.groupId }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  }) as AuditRow[];
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
export function findDeletedGroupId(db: DB, reference: string): number | undefined {
  const text = reference.trim();
  if (/^\d{1,15}$/.test(text)) {
    const byId = db.prepare("SELECT group_id FROM audit_log WHERE group_id = ? AND action = 'delete' LIMIT 1").pluck().get(Number(text)) as number | undefined;
    if (byId !== undefined) return byId;
  }
  const key = groupNameKey(text);
  const deletions = db.prepare("SELECT group_id, group_name FROM audit_log WHERE action = 'delete' ORDER BY id DESC").raw().iterate() as IterableIterator<
    [number, string]
  >;
  for (const [groupId, name] of deletions) if (groupNameKey(name) === key) return groupId;
  return undefined;
}
