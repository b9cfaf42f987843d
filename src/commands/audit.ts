// pops audit [--group <group>] [--limit N] [--all] [--json|--csv]: the audit log of
// group changes, newest first (docs/store.md, "The audit log").
import { formatDate } from '../domain/dates.js';
import type { SettingValue } from '../domain/group-settings.js';
import { NotFoundError, UsageError } from '../base/errors.js';
import type { Db } from '../store/db.js';
import { defineCommand, flag, valueOption } from '../shell/command.js';
import { withDb } from '../shell/context.js';
import { groupRef, positiveWholeNumber } from '../shell/parsers.js';
import { findDeletedGroupId, readAudit, type AuditEntry } from '../store/audit.js';
import { resolveGroup } from '../store/groups.js';
import { listOutputOptions, outputFormat } from '../shell/output-options.js';
import { writeCsv, writeJson, writeTable, type Cell } from '../render/output.js';
import { displaySetting } from '../render/group-values.js';

export const DEFAULT_LIMIT = 50;

export default defineCommand({
  name: 'audit',
  summary: 'the audit log of group changes, newest first',
  args: [],
  options: {
    group: valueOption('--group <group>', 'only the changes of this group (its name in any case, or its id)', groupRef),
    limit: valueOption('--limit <n>', `show the newest n entries (default ${DEFAULT_LIMIT})`, positiveWholeNumber),
    all: flag('--all', 'show every entry'),
    ...listOutputOptions('the entries'),
  },
  examples: ['pops audit', 'pops audit --group "Lakeside Pediatrics" --limit 10', 'pops audit --all --json > audit.json', 'pops audit --all --csv > audit.csv'],
  check(opts) {
    outputFormat(opts);
    if (opts.all && opts.limit !== undefined) throw new UsageError('--limit and --all cannot be used together');
  },
  run(opts, deps) {
    const limit = opts.all ? undefined : (opts.limit ?? DEFAULT_LIMIT);
    const entries = withDb(deps, (db) => {
      const groupId = opts.group === undefined ? undefined : groupOrDeletedGroup(db, opts.group);
      return readAudit(db, { groupId, limit });
    });
    const format = outputFormat(opts);
    if (format === 'json') return writeJson(deps.io, entries);
    if (format === 'csv') return writeCsv(deps.io, CSV_HEADER, entries.map(csvCells));
    if (entries.length === 0) {
      deps.io.err('pops: the audit log has no entries' + (opts.group === undefined ? '' : ' for this group') + '\n');
      return;
    }
    writeTable(
      deps.io,
      ['At (UTC)', 'Actor', 'Action', 'Group', 'Field', 'From', 'To', 'Batch'],
      entries.map((entry) => [
        formatTimestamp(entry.at),
        entry.actor,
        entry.action,
        entry.group,
        entry.field,
        shownValue(entry, entry.from),
        shownValue(entry, entry.to),
        entry.batch.slice(0, 8),
      ]),
      // On a narrow terminal the time wraps under the date; names and values are cut.
      { keep: [2, 7], wrap: [0] },
    );
  },
});

/** The JSON fields, in their order. */
const CSV_HEADER = ['at', 'actor', 'action', 'group', 'field', 'from', 'to', 'batch'] as const;

/** One entry as CSV cells: the JSON values, booleans as true/false, null as an empty cell. */
function csvCells(entry: AuditEntry): Cell[] {
  return [entry.at, entry.actor, entry.action, entry.group, entry.field, csvValue(entry.from), csvValue(entry.to), entry.batch];
}

function csvValue(value: unknown): Cell {
  return value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
}

/** `2026-10-20T14:03:05.123Z` → `10/20/2026 14:03:05`. */
function formatTimestamp(at: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(at);
  return match ? `${formatDate(match[1])} ${match[2]}` : at;
}

/** From/to as screens show settings; rows without a field (create, delete) show nothing. */
function shownValue(entry: AuditEntry, value: unknown): string {
  if (entry.field === null) return '';
  return displaySetting(entry.field, value as SettingValue);
}

/** The group's id; a group that was deleted is found in the log, so its history can still be shown. */
function groupOrDeletedGroup(db: Db, reference: string): number {
  try {
    return resolveGroup(db, reference).id;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const deleted = findDeletedGroupId(db, reference);
    if (deleted === undefined) throw error;
    return deleted;
  }
}
