// pops groups collections <group> [on|off] [--dry-run]: show or switch Show
// Collections, and say how many accounts gain or lose a visible Collection
// Balance panel (SPEC §6). Does not load the validators: on/off is parsed here.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { diffGroup } from '../../domain/group-changes.js';
import { UsageError } from '../../errors.js';
import { resolveGroup } from '../../store/groups.js';
import { groupAccountCounts } from '../../store/balance-sql.js';
import { displaySetting } from '../../render/group-values.js';
import { printPlan, runGroupPlan, warnIfNoFooterNumber, type GroupPlan } from './change-plan.js';

export function define(command: Command, ctx: Context): void {
  command
    .argument('<group>', 'the group: its name (any case) or its id')
    .argument('[state]', 'on or off; without it, print the current state')
    .option('--dry-run', 'print the change and its effect without writing anything')
    .addHelpText(
      'after',
      '\nExamples:\n  pops groups collections "Lakeside Pediatrics"\n  pops groups collections "Northshore Family Medicine" on --dry-run\n  pops groups collections 3 off',
    )
    .action((group: string, state: string | undefined, options: { dryRun?: boolean }) => run(ctx, group, state, options));
}

export function run(ctx: Context, groupName: string, state: string | undefined, options: { dryRun?: boolean }): void {
  const dryRun = options.dryRun ?? false;
  if (state === undefined) {
    if (dryRun) throw new UsageError('--dry-run needs a state to set: on or off');
    const group = withStore(ctx, (db) => resolveGroup(db, groupName));
    ctx.io.out(`${displaySetting('showCollections', group.showCollections)}\n`);
    return;
  }
  const wanted = parseState(state);
  const plan = runGroupPlan(ctx, dryRun, (db): GroupPlan & { accounts: number; accountsInCollections: number } => {
    const group = resolveGroup(db, groupName);
    const counts = groupAccountCounts(db, group.id).get(group.id);
    return {
      group,
      changes: diffGroup(group, { showCollections: wanted }),
      accounts: counts?.accounts ?? 0,
      accountsInCollections: counts?.accountsInCollections ?? 0,
    };
  });
  const details: string[] = [];
  if (plan.changes.length > 0) {
    // The panel shows only when the Account page itself is on (SPEC §8).
    const affected = plan.group.accountDashboard ? plan.accountsInCollections : 0;
    const verb = `${dryRun ? 'would ' : ''}${wanted ? 'gain' : 'lose'}`;
    const noun = `account${plan.accounts === 1 ? '' : 's'}`;
    details.push(
      `${affected} of ${plan.accounts} ${noun} ${verb} a visible Collection Balance panel` +
        (plan.group.accountDashboard ? '' : ' (the Account page is turned off for this group)'),
    );
  }
  printPlan(ctx, plan, dryRun, details);
  warnIfNoFooterNumber(ctx, plan);
}

/** Exactly the words of the synopsis, in any case. */
function parseState(state: string): boolean {
  const word = state.trim().toLowerCase();
  if (word === 'on') return true;
  if (word === 'off') return false;
  throw new UsageError(`expected on or off, got ${JSON.stringify(state)}`);
}
