// SQL for POPS Groups. Columns come from the settings catalogue, so a new
// setting needs no change here.
import type { DB } from './open.js';
import type { Statement } from 'better-sqlite3';
import { GROUP_SETTINGS, SETTINGS_BY_KEY, type PartialGroup, type SettingDef, type Group, type GroupSettings, type SettingValue, type GroupSettingKey } from '../domain/group-settings.js';
import { NotFoundError } from '../errors.js';

const SELECT_COLUMNS = ['id', 'name', ...GROUP_SETTINGS.map((s) => s.column)].join(', ');

type GroupRow = Record<string, string | number | null>;

function fromRow(row: GroupRow, settings: readonly SettingDef[] = GROUP_SETTINGS): Group {
  const group: Record<string, unknown> = { id: row.id, name: row.name };
  for (const setting of settings) {
    const value = row[setting.column];
    group[setting.key] = setting.kind === 'bool' ? value === 1 : value;
  }
  return group as unknown as Group;
}

function toColumnValue(value: SettingValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** Case-insensitive key of a group name (Unicode-aware, unlike SQLite's NOCASE). */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

export function listGroups(db: DB): Group[] {
  return (db.prepare(`SELECT ${SELECT_COLUMNS} FROM groups ORDER BY name_key, id`).all() as GroupRow[]).map((row) => fromRow(row));
}

/**
 * Every group with only the given settings loaded, in no particular order: a
 * bulk plan over thousands of groups reads just the columns its input names.
 */
export function listGroupsWithSettings(db: DB, keys: readonly GroupSettingKey[]): PartialGroup[] {
  const settings = GROUP_SETTINGS.filter((s) => keys.includes(s.key));
  const columns = ['id', 'name', ...settings.map((s) => s.column)].join(', ');
  return (db.prepare(`SELECT ${columns} FROM groups`).all() as GroupRow[]).map((row) => fromRow(row, settings));
}

export function findGroupByName(db: DB, name: string): Group | undefined {
  const row = db.prepare(`SELECT ${SELECT_COLUMNS} FROM groups WHERE name_key = ?`).get(nameKey(name)) as GroupRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function findGroupById(db: DB, id: number): Group | undefined {
  const row = db.prepare(`SELECT ${SELECT_COLUMNS} FROM groups WHERE id = ?`).get(id) as GroupRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** A group named on the command line: exact name (any case) first, then a numeric id. */
export function resolveGroup(db: DB, nameOrId: string): Group {
  const byName = findGroupByName(db, nameOrId);
  if (byName) return byName;
  if (/^\d{1,15}$/.test(nameOrId)) {
    const byId = findGroupById(db, Number(nameOrId));
    if (byId) return byId;
  }
  throw new NotFoundError(`no such group: ${JSON.stringify(nameOrId)}`, 'Run `pops groups list` to see the groups.');
}

export function insertGroup(db: DB, name: string, settings: GroupSettings): number {
  const columns = ['name', 'name_key', ...GROUP_SETTINGS.map((s) => s.column)];
  const values = [name, nameKey(name), ...GROUP_SETTINGS.map((s) => toColumnValue(settings[s.key]))];
  const result = db
    .prepare(`INSERT INTO groups (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
    .run(...values);
  return Number(result.lastInsertRowid);
}

// Prepared UPDATEs per store and set of columns: `groups apply` runs thousands
// of them in one transaction, and preparing each one anew costs more than running it.
const updateStatements = new WeakMap<DB, Map<string, Statement>>();

export function updateGroupSettings(db: DB, id: number, changes: Partial<Record<GroupSettingKey, SettingValue>>): void {
  const keys = Object.keys(changes) as GroupSettingKey[];
  if (keys.length === 0) return;
  const assignments = keys.map((key) => `${SETTINGS_BY_KEY.get(key)!.column} = ?`).join(', ');
  let statements = updateStatements.get(db);
  if (!statements) updateStatements.set(db, (statements = new Map()));
  let statement = statements.get(assignments);
  if (!statement) statements.set(assignments, (statement = db.prepare(`UPDATE groups SET ${assignments} WHERE id = ?`)));
  statement.run(...keys.map((key) => toColumnValue(changes[key]!)), id);
}

export function renameGroup(db: DB, id: number, name: string): void {
  db.prepare('UPDATE groups SET name = ?, name_key = ? WHERE id = ?').run(name, nameKey(name), id);
}

export function deleteGroup(db: DB, id: number): void {
  db.prepare('DELETE FROM groups WHERE id = ?').run(id);
}

export function countAccountsInGroup(db: DB, id: number): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM accounts WHERE group_id = ?').get(id) as { n: number }).n;
}
