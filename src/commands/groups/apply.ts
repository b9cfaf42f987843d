// pops groups apply <file|-> [--format json|csv] [--dry-run] [--create] [--json]
// Validate the whole input, plan it against the store, then write the plan in
// one transaction with one audit batch (SPEC §6 "Bulk apply").
import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import type { DB } from '../../store/open.js';
import { ValidationError } from '../../errors.js';
import { parseJsonInput, readTextInput } from '../../input.js';
import { APPLY_FORMATS, resolveApplyFormat, type ApplyFormat } from '../../domain/apply-format.js';
import { parseApplyCsv, parseApplyJson, planApply, settingsNamed, type ApplyInput, type ApplyPlan } from '../../domain/apply-plan.js';
import { listGroupsWithSettings, nameKey } from '../../store/groups.js';
import { writeGroupChanges, writeNewGroup } from '../../store/group-writes.js';
import { AuditBatch } from '../../store/audit.js';
import { planJson, planText } from '../../render/apply-plan.js';
import { writeJson } from '../../render/output.js';
import { progressBar, type Progress } from '../../render/progress.js';

/** Inputs with more rows than this show a progress bar while writing (stderr on a TTY only). */
export const PROGRESS_MIN_ROWS = 500;

export interface ApplyOptions {
  format?: ApplyFormat;
  dryRun?: boolean;
  create?: boolean;
  json?: boolean;
}

export function define(command: Command, ctx: Context): void {
  command
    .argument('<file>', 'the changes, JSON or CSV, or - for stdin')
    .addOption(new Option('--format <format>', 'json or csv (else from the file name; required with -)').choices(APPLY_FORMATS))
    .option('--dry-run', 'print the plan and write nothing')
    .option('--create', 'create the groups the input names that do not exist yet')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Input: JSON {"groups": [{"name": "…", "<setting>": …}]} (or a bare array), or
CSV with a header row of name and setting names. Settings not given stay as
they are; in CSV an empty cell leaves a setting unchanged and a cell of - clears
an optional one. Everything is validated before anything is written.

Examples:
  pops groups export --format csv > groups.csv   # edit, then:
  pops groups apply groups.csv --dry-run
  pops groups apply groups.csv
  cat changes.json | pops groups apply - --format json --create`,
    )
    .action(async (file: string, options: ApplyOptions) => runApply(ctx, file, options));
}

export async function runApply(ctx: Context, file: string, options: ApplyOptions): Promise<void> {
  const format = resolveApplyFormat(file, options.format);
  const source = file === '-' ? 'stdin' : file;
  const text = await readTextInput(file, ctx.io.stdin);
  const input = format === 'csv' ? parseApplyCsv(text, source) : parseApplyJson(parseJsonInput(text, source), source);
  const dryRun = options.dryRun ?? false;

  const plan = withStore(ctx, (db) => {
    // Planned and written under one write lock, so the plan printed is exactly
    // what was committed; a throw (or a kill) anywhere leaves the store as it was.
    const run = db.transaction(() => {
      const groupsByKey = new Map(listGroupsWithSettings(db, settingsNamed(input)).map((group) => [nameKey(group.name), group]));
      const { plan, problems } = planApply(input, groupsByKey, { create: options.create ?? false });
      if (problems.length > 0) throw new ValidationError(problems);
      if (!dryRun) writePlan(db, ctx, plan, showProgress(ctx, input) ? progressBar : undefined);
      return plan;
    });
    return dryRun ? run.deferred() : run.immediate();
  });

  if (options.json) writeJson(ctx.io, planJson(plan, dryRun));
  else ctx.io.out(planText(plan));
  if (dryRun) ctx.io.err('pops: dry run: nothing was written\n');
}

function showProgress(ctx: Context, input: ApplyInput): boolean {
  return ctx.io.stderrIsTTY && input.rows.length > PROGRESS_MIN_ROWS;
}

/** Every change and creation of the plan, with one audit batch for the whole run. Call inside the transaction. */
function writePlan(db: DB, ctx: Context, plan: ApplyPlan, makeProgress?: typeof progressBar): void {
  const total = plan.changed.length + plan.created.length;
  if (total === 0) return;
  const audit = new AuditBatch(db, ctx.actor);
  const progress: Progress | undefined = makeProgress?.(ctx.io, total);
  let done = 0;
  try {
    writeGroupChanges(db, audit, plan.changed, (changed) => progress?.update((done = changed)));
    for (const { name, settings } of plan.created) {
      writeNewGroup(db, audit, name, settings);
      progress?.update((done += 1));
    }
  } finally {
    progress?.finish();
  }
}
