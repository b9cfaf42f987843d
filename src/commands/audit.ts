// pops audit [--group <group>] [--limit N] [--all] [--json]: the audit log of
// group changes, newest first (SPEC §6).
import { Option, type Command } from 'commander';
import type { Context } from '../context.js';
import { withStore } from '../context.js';
import { formatDate } from '../domain/dates.js';
import type { SettingValue } from '../domain/group-settings.js';
import { UsageError } from '../errors.js';
import { readAudit, type AuditEntry } from '../store/audit.js';
import { resolveGroup } from '../store/groups.js';
import { writeJson, writeTable } from '../render/output.js';
import { displaySetting } from '../render/group-values.js';

export const DEFAULT_LIMIT = 50;

interface AuditOptions {
  group?: string;
  limit?: string;
  all?: boolean;
  json?: boolean;
}

export function define(command: Command, ctx: Context): void {
  command
    .option('--group <group>', 'only the changes of this group (its name in any case, or its id)')
    .addOption(new Option('--limit <n>', `show the newest n entries (default ${DEFAULT_LIMIT})`).conflicts('all'))
    .option('--all', 'show every entry')
    .option('--json', 'print the entries as a JSON array')
    .addHelpText('after', '\nExamples:\n  pops audit\n  pops audit --group "Lakeside Pediatrics" --limit 10\n  pops audit --all --json > audit.json')
    .action((options: AuditOptions) => run(ctx, options));
}

export function run(ctx: Context, options: AuditOptions): void {
  const limit = options.all ? undefined : options.limit === undefined ? DEFAULT_LIMIT : parseLimit(options.limit);
  const entries = withStore(ctx, (db) => {
    const groupId = options.group === undefined ? undefined : resolveGroup(db, options.group).id;
    return readAudit(db, { groupId, limit });
  });
  if (options.json) return writeJson(ctx.io, entries);
  if (entries.length === 0) {
    ctx.io.err('pops: the audit log has no entries' + (options.group === undefined ? '' : ' for this group') + '\n');
    return;
  }
  writeTable(
    ctx.io,
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
  );
}

function parseLimit(raw: string): number {
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw new UsageError(`--limit: expected a whole number of at least 1, got ${JSON.stringify(raw)}`);
  return Number(raw);
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
