// `groups export`: every group in the format `groups apply` reads, written so
// that applying it back changes nothing (docs/commands.md). Does not load the validators.
import { APPLY_CSV_COLUMNS, CLEAR_CELL } from '../domain/apply-format.js';
import { GROUP_SETTINGS, type Group, type SettingDef, type SettingValue } from '../domain/group-settings.js';
import { kindOf } from '../domain/setting-kinds.js';
import { lazyModule } from '../base/lazy.js';
import { sanitize } from '../base/sanitize.js';
import { guardCsvCell } from '../base/csv-cell.js';

const csvStringify = lazyModule<typeof import('csv-stringify/sync')>('csv-stringify/sync');

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
 * A text cell that a spreadsheet would run as a formula gets a leading `'`
 * (docs/formats.md, "CSV"), which apply takes off. A footer text that CSV
 * cannot carry back (only spaces) is left empty ("unchanged") with a warning,
 * so applying the export still changes nothing.
 */
export function groupsExportCsv(groups: readonly Group[]): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const rows = groups.map((group) => [
    guardCsvCell(sanitize(group.name)),
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
  return { text: csvStringify().stringify([[...APPLY_CSV_COLUMNS], ...rows], { record_delimiter: 'unix' }), warnings };
}

/**
 * The cell for a value, or undefined when CSV cannot carry the value. Values
 * are guarded against formulas (a text of `-…` becomes `'-…`); the clear cell
 * is not, since `'-` reads back as the text `-`.
 */
function settingCell(setting: SettingDef, value: SettingValue): string | undefined {
  if (value === null) return CLEAR_CELL;
  const cell = kindOf(setting).csvCell(value);
  return cell === undefined ? undefined : guardCsvCell(cell);
}
