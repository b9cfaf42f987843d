// The bulk-apply planner (docs/formats.md, "groups apply"). Two pure steps:
//   1. parse: the input (CSV text or a JSON document) → one row per group with
//      the settings it asks for, every problem located by its row (CSV: the
//      1-based physical line, the header being line 1; JSON: the 0-based index)
//      and field;
//   2. plan: those rows against the current groups → which groups change and
//      how, which are created, how many stay as they are.
// No I/O and no SQL: the command reads the file and the store.
import { lazyModule } from '../base/lazy.js';

const csvParse = lazyModule<typeof import('csv-parse/sync')>('csv-parse/sync');
import { UsageError, type Problem } from '../base/errors.js';
import { unguardCsvCell } from '../base/csv-cell.js';
import { plural } from '../base/plural.js';
import { CLEAR_CELL } from './apply-format.js';
import { diffGroup, type FieldChange, type WantedSettings } from './group-changes.js';
import {
  defaultSettings,
  GROUP_SETTINGS,
  SETTINGS_BY_KEY,
  type Group,
  type GroupSettingKey,
  type GroupSettings,
  type PartialGroup,
  type SettingDef,
} from './group-settings.js';
import { parseGroupReference, parseSettingJson, parseSettingText } from './group-validate.js';
import { groupNameKey, newGroupNameProblem } from './group-names.js';
import { kindOf } from './setting-kinds.js';

/** One group named by the input, with the settings it asks for. */
export interface ApplyRow {
  /** The row in messages: `line 7` (CSV) or `groups[3]` (JSON). */
  where: string;
  /** How a field is appended to `where`: `line 7: footerPhone`, `groups[3].footerPhone`. */
  fieldSeparator: ': ' | '.';
  /** The group's name as given (trimmed); undefined when it was missing or invalid. */
  name?: string;
  /** Settings to set; a key absent means "leave as it is", null means "clear". */
  wanted: WantedSettings;
  /** Problems found in this row's own cells or fields. */
  problems: Problem[];
}

export interface ApplyInput {
  /** Problems of the whole input (CSV header, JSON top level), reported first. */
  problems: Problem[];
  rows: ApplyRow[];
}

export interface PlannedChange {
  group: PartialGroup;
  changes: FieldChange[];
}

export interface PlannedCreation {
  name: string;
  settings: GroupSettings;
  /** The settings that differ from the defaults, as changes from the default. */
  changes: FieldChange[];
}

export interface ApplyPlan {
  /** Existing groups that change, in input order. */
  changed: PlannedChange[];
  /** Groups to create (only with --create), in input order. */
  created: PlannedCreation[];
  /** Existing groups named by the input that already are as asked. */
  unchanged: number;
}

export function fieldWhere(row: Pick<ApplyRow, 'where' | 'fieldSeparator'>, field: string): string {
  return `${row.where}${row.fieldSeparator}${field}`;
}

// ---------------------------------------------------------------- CSV

/**
 * A CSV with a header row of `name` and setting keys. An empty (or blank) cell
 * leaves the setting as it is; a cell of exactly `-` clears a nullable one.
 * Throws UsageError when the text is not CSV at all.
 */
export function parseApplyCsv(text: string, source: string): ApplyInput {
  // CRLF files: one line break each. (Also keeps a stray CR out of the last cell
  // when a file mixes line endings; footer text normalizes CRLF to LF anyway.)
  const normalized = text.replace(/\r\n/g, '\n');
  let records: { record: string[]; raw: string }[];
  try {
    records = csvParse().parse(normalized, { raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { record: string[]; raw: string }[];
  } catch (error) {
    if (!(error instanceof csvParse().CsvError)) throw error;
    // A semicolon-separated file (a spreadsheet's export in many locales) trips
    // the comma parser on its first quoted cell: say what it is instead.
    const lines = normalized.split('\n');
    const headerIndex = lines.findIndex((line) => line.trim() !== '');
    const headerLine = lines[headerIndex] ?? '';
    if (headerLine.includes(';') && !headerLine.includes(',')) throw semicolonSeparated(source, `line ${headerIndex + 1}`, headerLine);
    throw new UsageError(`${source}: malformed CSV: ${error.message}`);
  }
  if (records.length === 0) throw new UsageError(`${source}: empty CSV: expected a header row of name and setting names`);

  // Physical line numbers: each record's raw text is the exact slice it was read
  // from, including any empty lines skipped before it, so counting line breaks
  // through the raw slices locates every record even after multi-line cells.
  let linesBefore = 0;
  const located = records.map(({ record, raw }) => {
    const skipped = /^[\n\r]*/.exec(raw)![0].length;
    const line = linesBefore + skipped + 1;
    linesBefore += countLineBreaks(raw);
    return { record, line };
  });

  const [header, ...body] = located;
  const problems: Problem[] = [];
  const headerWhere = `line ${header.line}`;
  if (header.record.length === 1 && header.record[0].split(';').length > 1) throw semicolonSeparated(source, headerWhere, header.record[0]);
  // Spreadsheets save columns past the last one used as empty header cells:
  // trailing empty columns are not columns, as long as no row has a value there.
  let width = header.record.length;
  while (width > 1 && header.record[width - 1].trim() === '') width -= 1;
  const columns: (SettingDef | 'name' | undefined)[] = [];
  const seen = new Set<string>();
  header.record.slice(0, width).forEach((cell, index) => {
    const column = cell.trim();
    if (column === '') {
      problems.push({ where: `${headerWhere}: column ${index + 1}`, message: 'empty column name; expected name or a setting name' });
    } else if (seen.has(column)) {
      problems.push({ where: `${headerWhere}: ${column}`, message: 'column appears more than once' });
    } else if (column !== 'name' && !SETTINGS_BY_KEY.has(column)) {
      problems.push({ where: `${headerWhere}: ${column}`, message: unknownFieldMessage('column', column) });
    }
    seen.add(column);
    columns.push(column === 'name' ? 'name' : SETTINGS_BY_KEY.get(column));
  });
  const nameIndex = columns.indexOf('name');
  if (nameIndex < 0) {
    problems.push({ where: `${headerWhere}: name`, message: 'missing column "name": it names the group of each row' });
    return { problems, rows: [] };
  }

  const rows: ApplyRow[] = [];
  for (const { record, line } of body) {
    // Spreadsheets often save trailing rows of empty cells (",,,,"): not rows.
    if (record.every((cell) => cell.trim() === '')) continue;
    const row: ApplyRow = { where: `line ${line}`, fieldSeparator: ': ', wanted: {}, problems: [] };
    rows.push(row);
    // A row shorter than the header has empty cells for the missing columns;
    // cells past the header's columns must be empty.
    const extra = record.slice(width).findIndex((cell) => cell.trim() !== '');
    if (extra >= 0) {
      row.problems.push({
        where: row.where,
        message: `cell ${width + extra + 1} has a value, but the header has ${plural(width, 'column')}`,
      });
      continue;
    }
    // A cell that groups export guarded against formulas (`'=…`, `'-…`) is read without its `'`.
    const name = parseGroupReference(unguardCsvCell(record[nameIndex] ?? ''));
    if (name.ok) row.name = name.value;
    else row.problems.push({ where: fieldWhere(row, 'name'), message: name.message });
    record.slice(0, width).forEach((rawCell, index) => {
      const setting = columns[index];
      if (setting === undefined || setting === 'name') return;
      if (rawCell.trim() === '') return;
      const cell = unguardCsvCell(rawCell);
      if (rawCell === CLEAR_CELL) {
        if (setting.nullable) row.wanted[setting.key] = null;
        else
          row.problems.push({
            where: fieldWhere(row, setting.key),
            message: `"${CLEAR_CELL}" clears an optional setting, but ${setting.key} always has a value (${kindOf(setting).expected(setting)})`,
          });
        return;
      }
      const parsed = parseSettingText(setting, cell);
      if (parsed.ok) row.wanted[setting.key] = parsed.value;
      else row.problems.push({ where: fieldWhere(row, setting.key), message: parsed.message });
    });
  }
  return { problems, rows };
}

/** A header that splits on `;` and not on `,`: a spreadsheet's semicolon-separated export. */
function semicolonSeparated(source: string, where: string, header: string): UsageError {
  return new UsageError(
    `${source}: ${where}: expected a header of name and setting names separated by commas, got ${JSON.stringify(clipped(header))}`,
    'The file looks semicolon-separated: save it as comma-separated CSV.',
  );
}

function clipped(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) count += 1; // CRLF was normalized, so a CR here is a line break of its own
  }
  return count;
}

// ---------------------------------------------------------------- JSON

/**
 * `{"groups": [{"name": …, "<setting>": …}]}` or a bare array of such objects.
 * A setting absent leaves it as it is; null clears a nullable one. Throws
 * UsageError when the document is not of that shape at all.
 */
export function parseApplyJson(document: unknown, source: string): ApplyInput {
  const problems: Problem[] = [];
  let items: unknown[];
  let prefix: string;
  if (Array.isArray(document)) {
    items = document;
    prefix = '';
  } else if (isPlainObject(document) && Array.isArray(document.groups)) {
    items = document.groups;
    prefix = 'groups';
    for (const key of Object.keys(document)) {
      if (key !== 'groups') problems.push({ where: key, message: 'unknown field; expected only "groups" at the top level' });
    }
  } else {
    throw new UsageError(`${source}: expected {"groups": [...]} or an array of groups, got ${describeJson(document)}`);
  }

  const rows = items.map((item, index): ApplyRow => {
    const row: ApplyRow = { where: `${prefix}[${index}]`, fieldSeparator: '.', wanted: {}, problems: [] };
    if (!isPlainObject(item)) {
      row.problems.push({ where: row.where, message: `expected an object with a name and settings, got ${describeJson(item)}` });
      return row;
    }
    if (!Object.hasOwn(item, 'name')) {
      row.problems.push({ where: fieldWhere(row, 'name'), message: 'missing: every entry names its group' });
    } else {
      const name = parseGroupReference(item.name);
      if (name.ok) row.name = name.value;
      else row.problems.push({ where: fieldWhere(row, 'name'), message: name.message });
    }
    for (const key in item) {
      if (key === 'name' || !Object.hasOwn(item, key)) continue;
      const setting = SETTINGS_BY_KEY.get(key);
      if (!setting) {
        row.problems.push({ where: fieldWhere(row, key), message: unknownFieldMessage('field', key) });
        continue;
      }
      const parsed = parseSettingJson(setting, item[key]);
      if (parsed.ok) row.wanted[setting.key] = parsed.value;
      else row.problems.push({ where: fieldWhere(row, key), message: parsed.message });
    }
    return row;
  });
  return { problems, rows };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'a boolean'} ${JSON.stringify(value).slice(0, 40)}`;
}

const KNOWN_FIELDS = ['name', ...GROUP_SETTINGS.map((s) => s.key)];

function unknownFieldMessage(what: 'column' | 'field', given: string): string {
  const sameLetters = KNOWN_FIELDS.find((known) => known.toLowerCase() === given.toLowerCase());
  if (sameLetters) return `unknown ${what} (did you mean ${sameLetters}? names are case-sensitive)`;
  return `unknown ${what}; expected name or one of ${GROUP_SETTINGS.map((s) => s.key).join(', ')}`;
}

// ---------------------------------------------------------------- plan

/** The settings any row of the input asks for: all a plan needs to know of the current groups. */
export function settingsNamed(input: ApplyInput): GroupSettingKey[] {
  const named = new Set<GroupSettingKey>();
  for (const row of input.rows) for (const key of Object.keys(row.wanted) as GroupSettingKey[]) named.add(key);
  return GROUP_SETTINGS.filter((s) => named.has(s.key)).map((s) => s.key);
}

/**
 * Check every row's group against the store and plan the changes. `groupsByKey`
 * holds every current group under its name's key (domain/group-names.ts groupNameKey).
 * Problems come back in input order; the plan is only meaningful when there are none.
 */
export function planApply(
  input: ApplyInput,
  groupsByKey: ReadonlyMap<string, PartialGroup>,
  options: { create: boolean },
): { plan: ApplyPlan; problems: Problem[] } {
  const problems: Problem[] = [...input.problems];
  const plan: ApplyPlan = { changed: [], created: [], unchanged: 0 };
  const firstSeen = new Map<string, string>();
  for (const row of input.rows) {
    if (row.name !== undefined) {
      const key = groupNameKey(row.name);
      const earlier = firstSeen.get(key);
      const group = groupsByKey.get(key);
      if (earlier !== undefined) {
        problems.push({
          where: fieldWhere(row, 'name'),
          message: `group ${JSON.stringify(row.name)} appears more than once (also ${earlier}; names are compared case-insensitively)`,
        });
      } else {
        firstSeen.set(key, row.where);
        if (!group && !options.create) {
          problems.push({
            where: fieldWhere(row, 'name'),
            message: `no such group ${JSON.stringify(row.name)} (use --create to create the groups that do not exist)`,
          });
        } else if (!group) {
          // A group to create: its name must meet the rules for new names.
          const problem = newGroupNameProblem(row.name);
          if (problem !== undefined) problems.push({ where: fieldWhere(row, 'name'), message: problem });
        }
      }
      if (row.problems.length === 0 && earlier === undefined) {
        if (group) {
          const changes = diffGroup(group, row.wanted);
          if (changes.length > 0) plan.changed.push({ group, changes });
          else plan.unchanged += 1;
        } else if (options.create) {
          plan.created.push(planCreation(row.name, row.wanted));
        }
      }
    }
    problems.push(...row.problems);
  }
  return { plan, problems };
}

function planCreation(name: string, wanted: WantedSettings): PlannedCreation {
  const defaults = { id: 0, name, ...defaultSettings() } as Group;
  const changes = diffGroup(defaults, wanted);
  const settings = defaultSettings();
  for (const change of changes) (settings as Record<string, unknown>)[change.field] = change.to;
  return { name, settings, changes };
}
