// The shape every group-changing command shares (set, collections,
// footer-number, edit): plan inside one write transaction, write the planned
// changes with one audit batch unless it is a dry run, then print the plan.
// Does not load the validators: `collections` uses it too.
import type { Deps } from './context.js';
import { withDb } from './context.js';
import type { Db } from '../store/db.js';
import type { FieldChange } from '../domain/group-changes.js';
import type { Group } from '../domain/group-settings.js';
import { AuditBatch } from '../store/audit.js';
import { writeGroupChanges } from '../store/group-writes.js';
import { changeLine } from '../render/group-values.js';
import { sanitize } from '../base/sanitize.js';
import { MAX_PROBLEMS_SHOWN } from '../base/errors.js';

export interface GroupPlan {
  /** The group as it was before the change. */
  group: Group;
  changes: FieldChange[];
}

/**
 * Run `plan` on the open store and write its changes. Planning and writing
 * happen in one write transaction, so nothing can change the group in
 * between; a dry run plans on the same data and writes nothing (audit included).
 */
export function runGroupPlan<T extends GroupPlan>(deps: Deps, dryRun: boolean, plan: (db: Db) => T): T {
  return withDb(deps, (db) => {
    const work = (): T => {
      const result = plan(db);
      if (!dryRun && result.changes.length > 0) writeGroupChanges(db, new AuditBatch(db, deps.actor), [{ group: result.group, changes: result.changes }]);
      return result;
    };
    return dryRun ? db.read(work) : db.write(work);
  });
}

/**
 * `field: old → new` per change on stdout (or `no changes`), then any
 * `details` lines, and what happened on stderr.
 */
export function printPlan(deps: Deps, plan: GroupPlan, dryRun: boolean, details: readonly string[] = []): void {
  if (plan.changes.length === 0) deps.io.out('no changes\n');
  for (const change of plan.changes) deps.io.out(`${changeLine(change)}\n`);
  for (const line of details) deps.io.out(`${line}\n`);
  if (dryRun) deps.io.err('pops: dry run: nothing was written\n');
  else if (plan.changes.length > 0) {
    const count = plan.changes.length;
    deps.io.err(`pops: updated group ${quoteName(finalName(plan))} (${count} change${count === 1 ? '' : 's'})\n`);
  }
}

/** What the "no footer number" warning looks at. */
export interface CollectionsFooter {
  showCollections: boolean;
  footerPhone: string | null;
}

/**
 * The Collection Balance panel tells patients whom to call; with Show
 * Collections on and no footer number it can only say "contact the office".
 * Every command that leaves a group so says it, whether or not this run changed
 * either setting, dry runs too (docs/design-choices.md, "Hardening (v1.1)").
 */
export function warnIfNoFooterNumber(deps: Deps, plan: GroupPlan): void {
  warnCollectionsWithoutNumber(deps, [{ name: finalName(plan), ...afterChanges(plan.group, plan.changes) }]);
}

export function warnIfCollectionsWithoutNumber(deps: Deps, name: string, settings: CollectionsFooter): void {
  warnCollectionsWithoutNumber(deps, [{ name, ...settings }]);
}

/** Show Collections and the footer number once `changes` are made. */
export function afterChanges(before: CollectionsFooter, changes: readonly FieldChange[]): CollectionsFooter {
  const after = { showCollections: before.showCollections, footerPhone: before.footerPhone };
  for (const change of changes) {
    if (change.field === 'showCollections') after.showCollections = change.to as boolean;
    if (change.field === 'footerPhone') after.footerPhone = change.to as string | null;
  }
  return after;
}

/**
 * One warning per group (named as it is after the run) left with Show
 * Collections on and no footer number: at most 50 lines, then how many more.
 */
export function warnCollectionsWithoutNumber(deps: Deps, groups: Iterable<{ name: string } & CollectionsFooter>): void {
  let shown = 0;
  let more = 0;
  for (const group of groups) {
    if (!group.showCollections || group.footerPhone !== null) continue;
    if (shown === MAX_PROBLEMS_SHOWN) {
      more += 1;
      continue;
    }
    shown += 1;
    deps.io.warn(
      `group ${quoteName(group.name)} has Show Collections on but no footer number: the Collection Balance panel can only tell patients to contact the office ` +
        `(set one with: pops groups footer-number ${shellWord(group.name)} <number>)`,
    );
  }
  if (more > 0) {
    deps.io.warn(`${more} more group${more === 1 ? ' has' : 's have'} Show Collections on but no footer number (pops doctor lists them all)`);
  }
}

function finalName(plan: GroupPlan): string {
  const rename = plan.changes.find((c) => c.field === 'name');
  return rename ? (rename.to as string) : plan.group.name;
}

/** A group name from the store, safe for a message line. */
export function quoteName(name: string): string {
  return JSON.stringify(sanitize(name));
}

/** A group name as one shell word, for hints that show a command to run. */
export function shellWord(name: string): string {
  const clean = sanitize(name);
  return /^[A-Za-z0-9_.,:@%+=/-]+$/.test(clean) ? clean : `'${clean.replace(/'/g, `'\\''`)}'`;
}
