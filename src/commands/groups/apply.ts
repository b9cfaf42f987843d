// pops groups apply <file|-> [--format json|csv] [--dry-run] [--create] [--json]
// Validate the whole input, plan it against the store, then write the plan in
// one transaction with one audit batch (docs/formats.md, "groups apply").
import { arg, defineCommand, flag, valueOption } from '../../shell/command.js';
import { withStore, type Deps } from '../../shell/context.js';
import { oneOf, path } from '../../shell/parsers.js';
import type { DB } from '../../store/open.js';
import { ValidationError } from '../../base/errors.js';
import { parseJsonInput, readTextInput } from '../../base/input.js';
import { APPLY_FORMATS, resolveApplyFormat } from '../../domain/apply-format.js';
import { parseApplyCsv, parseApplyJson, planApply, settingsNamed, type ApplyInput, type ApplyPlan } from '../../domain/apply-plan.js';
import { listGroupsWithSettings, nameKey } from '../../store/groups.js';
import { writeGroupChanges, writeNewGroup } from '../../store/group-writes.js';
import { AuditBatch } from '../../store/audit.js';
import { planJson, planText } from '../../render/apply-plan.js';
import { writeJson } from '../../render/output.js';
import { progressBar, type Progress } from '../../render/progress.js';

/** Inputs with more rows than this show a progress bar while writing (stderr on a TTY only). */
export const PROGRESS_MIN_ROWS = 500;

export default defineCommand({
  name: 'apply',
  summary: 'bulk-change groups from a JSON or CSV file, all or nothing',
  args: [arg('file', 'the changes, JSON or CSV, or - for stdin', path)],
  options: {
    format: valueOption('--format <format>', 'json or csv (else from the file name; required with -)', oneOf(APPLY_FORMATS), APPLY_FORMATS),
    dryRun: flag('--dry-run', 'print the plan and write nothing'),
    create: flag('--create', 'create the groups the input names that do not exist yet'),
    json: flag('--json', 'print the plan as JSON'),
  },
  notes: `Input: JSON {"groups": [{"name": "…", "<setting>": …}]} (or a bare array), or
CSV with a header row of name and setting names. Settings not given stay as
they are; in CSV an empty cell leaves a setting unchanged and a cell of - clears
an optional one. Everything is validated before anything is written.`,
  examples: [
    'pops groups export --format csv > groups.csv   # edit, then:',
    'pops groups apply groups.csv --dry-run',
    'pops groups apply groups.csv',
    'cat changes.json | pops groups apply - --format json --create',
  ],
  async run(opts, deps) {
    const { file, dryRun } = opts;
    const format = resolveApplyFormat(file, opts.format);
    const source = file === '-' ? 'stdin' : file;
    const text = await readTextInput(file, deps.io.stdin);
    const input = format === 'csv' ? parseApplyCsv(text, source) : parseApplyJson(parseJsonInput(text, source), source);

    const plan = withStore(deps, (db) => {
      // Planned and written under one write lock, so the plan printed is exactly
      // what was committed; a throw (or a kill) anywhere leaves the store as it was.
      const run = db.transaction(() => {
        const groupsByKey = new Map(listGroupsWithSettings(db, settingsNamed(input)).map((group) => [nameKey(group.name), group]));
        const { plan, problems } = planApply(input, groupsByKey, { create: opts.create });
        if (problems.length > 0) throw new ValidationError(problems);
        if (!dryRun) writePlan(db, deps, plan, showProgress(deps, input) ? progressBar : undefined);
        return plan;
      });
      return dryRun ? run.deferred() : run.immediate();
    });

    if (opts.json) writeJson(deps.io, planJson(plan, dryRun));
    else deps.io.out(planText(plan));
    if (dryRun) deps.io.err('pops: dry run: nothing was written\n');
  },
});

function showProgress(deps: Deps, input: ApplyInput): boolean {
  return deps.io.stderrIsTTY && input.rows.length > PROGRESS_MIN_ROWS;
}

/** Every change and creation of the plan, with one audit batch for the whole run. Call inside the transaction. */
function writePlan(db: DB, deps: Deps, plan: ApplyPlan, makeProgress?: typeof progressBar): void {
  const total = plan.changed.length + plan.created.length;
  if (total === 0) return;
  const audit = new AuditBatch(db, deps.actor);
  const progress: Progress | undefined = makeProgress?.(deps.io, total);
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
