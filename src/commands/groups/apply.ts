// pops groups apply <file|-> [--format json|csv] [--dry-run] [--create] [--json]
// Validate the whole input, plan it against the store, then write the plan in
// one transaction with one audit batch (docs/formats.md, "groups apply").
import { arg, defineCommand, flag, valueOption } from '../../shell/command.js';
import { withDb, type Deps } from '../../shell/context.js';
import { afterChanges, warnCollectionsWithoutNumber } from '../../shell/group-plan.js';
import { oneOf, path } from '../../shell/parsers.js';
import type { Db } from '../../store/db.js';
import { ValidationError, type Problem } from '../../base/errors.js';
import { parseJsonInput, readTextInput } from '../../base/input.js';
import { APPLY_FORMATS, resolveApplyFormat } from '../../domain/apply-format.js';
import { fieldWhere, parseApplyCsv, parseApplyJson, planApply, settingsNamed, type ApplyInput, type ApplyPlan } from '../../domain/apply-plan.js';
import type { PartialGroup } from '../../domain/group-settings.js';
import { groupIdsWithoutNumber, groupsByNameKey, nameKey, readCollectionsFooter } from '../../store/groups.js';
import { writeGroupChanges, writeNewGroups } from '../../store/group-writes.js';
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

    const { plan, left } = withDb(deps, (db) => {
      // Planned and written in one write transaction, so the plan printed is exactly
      // what was committed; a throw (or a kill) anywhere leaves the store as it was.
      const run = () => {
        const { groups, twins } = groupsByNameKey(db, namedKeys(input), settingsNamed(input));
        const { plan, problems } = planApply(input, groups, { create: opts.create });
        problems.push(...twinProblems(input, twins));
        if (problems.length > 0) throw new ValidationError(problems);
        const left = groupsLeftWithoutNumber(db, input, groups, plan);
        if (!dryRun) writePlan(db, deps, plan, showProgress(deps, input) ? progressBar : undefined);
        return { plan, left };
      };
      return dryRun ? db.read(run) : db.write(run);
    });

    if (opts.json) writeJson(deps.io, planJson(plan, dryRun));
    else deps.io.out(planText(plan));
    if (dryRun) deps.io.err('pops: dry run: nothing was written\n');
    warnCollectionsWithoutNumber(
      deps,
      left.map((name) => ({ name, showCollections: true, footerPhone: null })),
    );
  },
});

/** The name keys of the groups the input names. */
function namedKeys(input: ApplyInput): string[] {
  const keys: string[] = [];
  for (const row of input.rows) if (row.name !== undefined) keys.push(nameKey(row.name));
  return keys;
}

/** Rows naming a name that two groups of an older store share (store/groups.ts TWIN_SEPARATOR). */
function twinProblems(input: ApplyInput, twins: ReadonlySet<string>): Problem[] {
  if (twins.size === 0) return [];
  return input.rows
    .filter((row) => row.name !== undefined && twins.has(nameKey(row.name)))
    .map((row) => ({
      where: fieldWhere(row, 'name'),
      message: `${JSON.stringify(row.name)} names more than one group; rename all but one first (pops groups list shows their ids)`,
    }));
}

/**
 * The groups the input names (changed, unchanged or created) that the run
 * leaves with Show Collections on and no footer number, in input order, by
 * name. Read before anything is written; costs nothing in the usual case of
 * no such group.
 */
function groupsLeftWithoutNumber(db: Db, input: ApplyInput, groups: ReadonlyMap<string, PartialGroup>, plan: ApplyPlan): string[] {
  const already = new Set(
    groupIdsWithoutNumber(
      db,
      [...groups.values()].map((group) => group.id),
    ),
  );
  const touching = plan.changed.filter(({ changes }) => changes.some((c) => c.field === 'showCollections' || c.field === 'footerPhone'));
  const created = plan.created.filter(({ settings }) => settings.showCollections && settings.footerPhone === null);
  if (already.size === 0 && touching.length === 0 && created.length === 0) return [];
  const before = readCollectionsFooter(
    db,
    touching.map(({ group }) => group.id),
  );
  const changes = new Map(touching.map((planned) => [planned.group.id, planned.changes]));
  const createdByKey = new Map(created.map((creation) => [nameKey(creation.name), creation.name]));
  const left: string[] = [];
  for (const row of input.rows) {
    if (row.name === undefined) continue;
    const key = nameKey(row.name);
    const group = groups.get(key);
    if (!group) {
      const name = createdByKey.get(key);
      if (name !== undefined) left.push(name);
      continue;
    }
    const changed = changes.get(group.id);
    const after = changed ? afterChanges(before.get(group.id)!, changed) : undefined;
    if (after ? after.showCollections && after.footerPhone === null : already.has(group.id)) left.push(group.name);
  }
  return left;
}

function showProgress(deps: Deps, input: ApplyInput): boolean {
  return deps.io.stderrIsTTY && input.rows.length > PROGRESS_MIN_ROWS;
}

/** Every change and creation of the plan, with one audit batch for the whole run. Call inside the transaction. */
function writePlan(db: Db, deps: Deps, plan: ApplyPlan, makeProgress?: typeof progressBar): void {
  const total = plan.changed.length + plan.created.length;
  if (total === 0) return;
  const audit = new AuditBatch(db, deps.actor);
  const progress: Progress | undefined = makeProgress?.(deps.io, total);
  let done = 0;
  try {
    writeGroupChanges(db, audit, plan.changed, (changed) => progress?.update((done = changed)));
    const changed = done;
    writeNewGroups(db, audit, plan.created, (created) => progress?.update((done = changed + created)));
  } finally {
    progress?.finish();
  }
}
