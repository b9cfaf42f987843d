// `groups export`: every group in the format `groups apply` reads, written so
// that applying it back changes nothing (SPEC §6). Does not load the validators.
import { stringify } from 'csv-stringify/sync';
import { APPLY_CSV_COLUMNS, CLEAR_CELL } from '../domain/apply-format.js';
import { GROUP_SETTINGS, type Group, type SettingDef, type SettingValue } from '../domain/group-settings.js';
import { sanitize } from './sanitize.js';

/** `{"groups": [{name, every setting}]}`, values as JSON values (booleans, E.164 phones, null when unset). */
export function groupsExportJson(groups: readonly Group[]): { groups: Record<string, SettingValue>[] } {
  return {
    groups: groups.map((group) => {
      const record: Record<string, SettingValue> = { name: group.name };
      for (const setting of GROUP_SETTINGS) record[setting.key] = group[setting.key];
      return record;
    }),
  };
}

/**
 * Header `name` + every setting; on/off settings as `on`/`off`, phones as
 * E.164, and an unset (null) setting as `-`, which apply reads back as
 * "clear" — so the file is a full copy of each group, not only "unchanged".
 * A footer text that CSV cannot carry back (exactly `-`) is left empty
 * ("unchanged") with a warning, so applying the export still changes nothing.
 */
export function groupsExportCsv(groups: readonly Group[]): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const rows = groups.map((group) => [
    sanitize(group.name),
    ...GROUP_SETTINGS.map((setting) => {
      const cell = settingCell(setting, group[setting.key]);
      if (cell === undefined) {
        warnings.push(
          `group ${JSON.stringify(sanitize(group.name))}: ${setting.key} ${JSON.stringify(group[setting.key])} cannot be carried by CSV ("${CLEAR_CELL}" means clear, a blank cell unchanged); exported as an empty cell. Use --format json for an exact copy.`,
        );
        return '';
      }
      return cell;
    }),
  ]);
  return { text: stringify([[...APPLY_CSV_COLUMNS], ...rows], { record_delimiter: 'unix' }), warnings };
}

/** The cell for a value, or undefined when CSV cannot carry the value. */
function settingCell(setting: SettingDef, value: SettingValue): string | undefined {
  if (value === null) return CLEAR_CELL;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (setting.kind === 'text') {
    if (value === CLEAR_CELL || value.trim() === '') return undefined;
    // Stored footer text has no control characters but newlines (validated);
    // sanitizing keeps those newlines, and quoting carries them.
    return sanitize(value, { allowNewline: true });
  }
  return sanitize(value);
}
