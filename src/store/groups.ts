// SQL for POPS Groups. Columns come from the settings catalogue, so a new
// setting needs no change here.
import { asInteger, jsonElements, toDb, type DbLike } from './db.js';
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
import { NotFoundError, UsageError } from '../base/errors.js';
import { sanitize } from '../base/sanitize.js';
import { closestGroupName, groupNameKey } from '../domain/group-names.js';
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

/** The key group names are compared by (docs/design-choices.md, "Hardening (v1.1)"). */
export function nameKey(name: string): string {
  return groupNameKey(name);
}

/**
 * Keys of groups whose names only became equal when names were first compared
 * by this key (migration 2): the lowest id keeps the key, the others carry
 * `<key>\u0001<id>`. A name is looked up under both.
 */
const TWIN_SEPARATOR = '\u0001';

export function listGroups(db: DbLike): Group[] {
  return toDb(db)
    .all<GroupRow>(`SELECT ${SELECT_COLUMNS} FROM groups ORDER BY name_key, id`)
    .map((row) => fromRow(row));
}

/** Every group under its name's key, and the keys that name more than one group (twins, see TWIN_SEPARATOR). */
export interface GroupsByKey {
  groups: Map<string, PartialGroup>;
  twins: Set<string>;
}

/**
 * The groups with these name keys (and their twins, see TWIN_SEPARATOR),
 * with only the given settings loaded, under their name's key: a bulk plan
 * reads just the rows and columns its input names, so one change costs the
 * same in a store of ten groups as in one of a hundred thousand
 * (docs/performance.md, `groups apply`).
 */
export function groupsByNameKey(given: DbLike, nameKeys: Iterable<string>, keys: readonly GroupSettingKey[]): GroupsByKey {
  const db = toDb(given);
  const settings = GROUP_SETTINGS.filter((s) => keys.includes(s.key));
  const columns = ['g.id', 'g.name', 'g.name_key', ...settings.map((s) => `g.${s.column}`)].join(', ');
  const wanted = [...new Set(nameKeys)];
  // Rows as arrays: no per-row object keyed by column name to build and drop. One range of the
  // name_key index per name: the key itself and its twins (`<key>\u0001<id>`), nothing else
  // (no name holds a character below U+0002).
  const char2 = db.kind === 'sqlite' ? 'char(2)' : 'chr(2)';
  const rows = db.rows<(string | number | null)[]>(
    `SELECT ${columns} FROM ${jsonElements(db, 'k')} JOIN groups AS g ON g.name_key >= k.value AND g.name_key < k.value || ${char2}`,
    [JSON.stringify(wanted)],
  );
  const groups = new Map<string, PartialGroup>();
  const twins = new Set<string>();
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r];
    const group: Record<string, unknown> = { id: row[0], name: row[1] };
    for (let i = 0; i < settings.length; i += 1) group[settings[i].key] = fromColumnValue(settings[i], row[i + 3]);
    let key = row[2] as string;
    const twin = key.indexOf(TWIN_SEPARATOR);
    if (twin >= 0) {
      key = key.slice(0, twin);
      twins.add(key);
    }
    groups.set(key, group as unknown as PartialGroup);
  }
  return { groups, twins };
}

/** Which of the groups with these ids have Show Collections on and no footer number. */
export function groupIdsWithoutNumber(given: DbLike, ids: readonly number[]): number[] {
  const db = toDb(given);
  return db.column<number>(
    `SELECT id FROM groups WHERE id IN (SELECT ${asInteger(db, 'k.value')} FROM ${jsonElements(db, 'k')}) AND show_collections = 1 AND footer_phone IS NULL`,
    [JSON.stringify(ids)],
  );
}

/** Show Collections and the footer number of the groups with these ids. */
export function readCollectionsFooter(given: DbLike, ids: readonly number[]): Map<number, { showCollections: boolean; footerPhone: string | null }> {
  const db = toDb(given);
  const rows = db.rows<[number, number, string | null]>(
    `SELECT id, show_collections, footer_phone FROM groups WHERE id IN (SELECT ${asInteger(db, 'k.value')} FROM ${jsonElements(db, 'k')})`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map(([id, showCollections, footerPhone]) => [id, { showCollections: showCollections === 1, footerPhone }]));
}

/** The group with this name (compared by its key), if any. */
export function findGroupByName(db: DbLike, name: string): Group | undefined {
  return findGroupsByName(db, name)[0];
}

/** Every group with this name: more than one only in a store migrated with twin names (see TWIN_SEPARATOR). */
function findGroupsByName(db: DbLike, name: string): Group[] {
  const key = nameKey(name);
  const rows = toDb(db).all<GroupRow>(`SELECT ${SELECT_COLUMNS} FROM groups WHERE name_key = ? OR (name_key > ? AND name_key < ?) ORDER BY id`, [
    key,
    `${key}${TWIN_SEPARATOR}`,
    `${key}\u0002`,
  ]);
  return rows.map((row) => fromRow(row));
}

export function findGroupById(db: DbLike, id: number): Group | undefined {
  const row = toDb(db).get<GroupRow>(`SELECT ${SELECT_COLUMNS} FROM groups WHERE id = ?`, [id]);
  return row ? fromRow(row) : undefined;
}

/**
 * A group named on the command line: by its name (compared by its key, so
 * any case, NFC or NFD) or by its id, surrounding spaces ignored. A text that
 * is one group's name and another's id, or several groups' name, is exit 2;
 * an unknown group is exit 3 with the closest name, when one is close.
 */
export function resolveGroup(db: DbLike, reference: string): Group {
  const wanted = reference.trim();
  const byName = findGroupsByName(db, wanted);
  const byId = /^\d{1,15}$/.test(wanted) ? findGroupById(db, Number(wanted)) : undefined;
  if (byName.length > 1) {
    throw new UsageError(
      `${quote(wanted)} names more than one group: ${listIds(byName.map((g) => g.id))}; name the one you mean by its id`,
      `Renaming all but one ends this: pops groups set <id> --name <new name>`,
    );
  }
  const [named] = byName;
  if (named && byId && named.id !== byId.id) {
    throw new UsageError(
      `${quote(wanted)} is both the name of group ${named.id} and the id of group ${byId.id}; ` +
        `name group ${named.id} by its id, or group ${byId.id} by its name (${quote(byId.name)})`,
      `Renaming group ${named.id} ends this: pops groups set ${named.id} --name <new name>`,
    );
  }
  const found = named ?? byId;
  if (found) return found;
  const suggestion = /^\d+$/.test(wanted) ? undefined : closestGroupName(wanted, toDb(db).column<string>('SELECT name FROM groups'));
  throw new NotFoundError(
    `no such group: ${quote(wanted)}`,
    suggestion === undefined ? 'Run `pops groups list` to see the groups.' : `Did you mean ${quote(suggestion)}?`,
  );
}

/** A name for a message: quoted, and safe for a terminal. */
function quote(name: string): string {
  return JSON.stringify(sanitize(name));
}

/** `5 and 6`, `5, 6 and 7`. */
function listIds(ids: readonly number[]): string {
  return ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

export function insertGroup(db: DbLike, name: string, settings: GroupSettings): number {
  const columns = ['name', 'name_key', ...GROUP_SETTINGS.map((s) => s.column)];
  const values = [name, nameKey(name), ...GROUP_SETTINGS.map((s) => kindOf(s).toColumn(settings[s.key]))];
  return toDb(db).value<number>(`INSERT INTO groups (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING id`, values)!;
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
export function updateGroupsSettings(given: DbLike, keys: readonly GroupSettingKey[], updates: readonly SettingsUpdate[]): void {
  if (keys.length === 0 || updates.length === 0) return;
  const db = toDb(given);
  const settings = keys.map((key) => SETTINGS_BY_KEY.get(key)!);
  // On PostgreSQL the JSON texts are cast to the columns' types (on/off settings are smallint).
  const typed = (setting: SettingDef, value: string) => (db.kind === 'postgres' && setting.kind === 'bool' ? `(${value})::smallint` : value);
  const assignments = settings.map((setting, i) => `${setting.column} = ${typed(setting, `j.value ->> ${i + 1}`)}`).join(', ');
  const rows = updates.map(({ id, values }) => [id, ...values.map((value, i) => kindOf(settings[i]).toColumn(value))]);
  const from = db.kind === 'sqlite' ? 'json_each(?) AS j' : 'jsonb_array_elements(?::jsonb) AS j (value)';
  db.run(`UPDATE groups SET ${assignments} FROM ${from} WHERE groups.id = ${asInteger(db, 'j.value ->> 0')}`, [JSON.stringify(rows)]);
}

export function renameGroup(db: DbLike, id: number, name: string): void {
  toDb(db).run('UPDATE groups SET name = ?, name_key = ? WHERE id = ?', [name, nameKey(name), id]);
}

export function deleteGroup(db: DbLike, id: number): void {
  toDb(db).run('DELETE FROM groups WHERE id = ?', [id]);
}

export function countAccountsInGroup(db: DbLike, id: number): number {
  return toDb(db).value<number>('SELECT COUNT(*) FROM accounts WHERE group_id = ?', [id])!;
}
