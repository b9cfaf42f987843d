// SQL for POPS Groups. Columns come from the settings catalogue, so a new
// setting needs no change here.
import type { DB } from './open.js';
import {
  GROUP_SETTINGS,
  SETTINGS_BY_KEY,
  type PartialGroup,
  type SettingDef,
  type Group,
  type GroupSettings,
  type SettingValue,
  type GroupSettingKey,
} from '../domain/group-settings.js';
import { NotFoundError } from '../base/errors.js';
import { kindOf } from '../domain/setting-kinds.js';

const SELECT_COLUMNS = ['id', 'name', ...GROUP_SETTINGS.map((s) => s.column)].join(', ');

type GroupRow = Record<string, string | number | null>;

function fromRow(row: GroupRow): Group {
  const group: Record<string, unknown> = { id: row.id, name: row.name };
  for (const setting of GROUP_SETTINGS) group[setting.key] = fromColumnValue(setting, row[setting.column]);
  return group as unknown as Group;
}

/** A column as a setting's value, as the setting's kind stores it (on/off as 0/1). */
function fromColumnValue(setting: SettingDef, value: string | number | null): SettingValue {
  return kindOf(setting).fromColumn(value);
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
  // Rows as arrays: no per-row object keyed by column name to build and drop.
  const rows = db.prepare(`SELECT ${columns} FROM groups`).raw().all() as (string | number | null)[][];
  const groups: PartialGroup[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r];
    const group: Record<string, unknown> = { id: row[0], name: row[1] };
    for (let i = 0; i < settings.length; i += 1) group[settings[i].key] = fromColumnValue(settings[i], row[i + 2]);
    groups[r] = group as unknown as PartialGroup;
  }
  return groups;
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
  const values = [name, nameKey(name), ...GROUP_SETTINGS.map((s) => kindOf(s).toColumn(settings[s.key]))];
  const result = db.prepare(`INSERT INTO groups (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...values);
  return Number(result.lastInsertRowid);
}

/** New values of the same settings for many groups: `values[i]` is the value of `keys[i]`. */
export interface SettingsUpdate {
  id: number;
  values: SettingValue[];
}

/**
 * Set `keys` of many groups in one statement: the rows travel as one JSON
 * parameter and SQLite reads them with json_each, so ten thousand groups cost
 * one call instead of ten thousand (docs/performance.md `groups apply`).
 */
export function updateGroupsSettings(db: DB, keys: readonly GroupSettingKey[], updates: readonly SettingsUpdate[]): void {
  if (keys.length === 0 || updates.length === 0) return;
  const assignments = keys.map((key, i) => `${SETTINGS_BY_KEY.get(key)!.column} = j.value ->> ${i + 1}`).join(', ');
  const settings = keys.map((key) => SETTINGS_BY_KEY.get(key)!);
  const rows = updates.map(({ id, values }) => [id, ...values.map((value, i) => kindOf(settings[i]).toColumn(value))]);
  db.prepare(`UPDATE groups SET ${assignments} FROM json_each(?) AS j WHERE groups.id = j.value ->> 0`).run(JSON.stringify(rows));
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
