// How a bulk-apply plan reads: as text for people, as JSON for scripts (docs/commands.md).
import type { ApplyPlan } from '../domain/apply-plan.js';
import { changeLine } from './group-values.js';
import { sanitize } from '../base/sanitize.js';

/**
 * Each changed group's name, then its changes indented (`  field: old → new`);
 * then each created group, `<name> (new group)`, with the settings that differ
 * from the defaults; then the summary line.
 */
export function planText(plan: ApplyPlan): string {
  const lines: string[] = [];
  for (const { group, changes } of plan.changed) {
    lines.push(sanitize(group.name));
    for (const change of changes) lines.push(`  ${changeLine(change)}`);
  }
  for (const { name, changes } of plan.created) {
    lines.push(`${sanitize(name)} (new group)`);
    for (const change of changes) lines.push(`  ${changeLine(change)}`);
  }
  lines.push(planSummary(plan));
  return `${lines.join('\n')}\n`;
}

/** `N changed, N created, N unchanged`. */
export function planSummary(plan: ApplyPlan): string {
  return `${plan.changed.length} changed, ${plan.created.length} created, ${plan.unchanged} unchanged`;
}

export interface PlanJson {
  dryRun: boolean;
  changed: { group: string; changes: { field: string; from: unknown; to: unknown }[] }[];
  created: string[];
  unchanged: number;
}

/** Values as the audit log carries them: booleans, E.164 phones, strings, null when unset. */
export function planJson(plan: ApplyPlan, dryRun: boolean): PlanJson {
  return {
    dryRun,
    changed: plan.changed.map(({ group, changes }) => ({
      group: group.name,
      changes: changes.map(({ field, from, to }) => ({ field, from, to })),
    })),
    created: plan.created.map(({ name }) => name),
    unchanged: plan.unchanged,
  };
}
