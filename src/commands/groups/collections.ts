// pops groups collections <group> [on|off] [--dry-run]: show or switch Show
// Collections, and say how many accounts gain or lose a visible Collection
// Balance panel.
import { diffGroup } from '../../domain/group-changes.js';
import { UsageError } from '../../base/errors.js';
import { arg, defineCommand, flag, optionalArg } from '../../shell/command.js';
import { withDb } from '../../shell/context.js';
import { printPlan, runGroupPlan, warnIfNoFooterNumber, type GroupPlan } from '../../shell/group-plan.js';
import { groupRef, onOff } from '../../shell/parsers.js';
import { resolveGroup } from '../../store/groups.js';
import { groupAccountCounts } from '../../store/balance-sql.js';
import { displaySetting } from '../../render/group-values.js';

export default defineCommand({
  name: 'collections',
  summary: 'show or switch Show Collections, with the accounts it affects',
  args: [
    arg('group', 'the group: its name (any case) or its id', groupRef),
    optionalArg('state', 'on or off; without it, print the current state', onOff, ['on', 'off']),
  ],
  options: { dryRun: flag('--dry-run', 'print the change and its effect without writing anything') },
  examples: [
    'pops groups collections "Lakeside Pediatrics"',
    'pops groups collections "Northshore Family Medicine" on --dry-run',
    'pops groups collections 3 off',
  ],
  check(opts) {
    if (opts.state === undefined && opts.dryRun) throw new UsageError('--dry-run needs a state to set: on or off');
  },
  run(opts, deps) {
    const { dryRun, state } = opts;
    if (state === undefined) {
      const group = withDb(deps, (db) => resolveGroup(db, opts.group));
      deps.io.out(`${displaySetting('showCollections', group.showCollections)}\n`);
      return;
    }
    const plan = runGroupPlan(deps, dryRun, (db): GroupPlan & { accounts: number; accountsInCollections: number } => {
      const group = resolveGroup(db, opts.group);
      const counts = groupAccountCounts(db, group.id).get(group.id);
      return {
        group,
        changes: diffGroup(group, { showCollections: state }),
        accounts: counts?.accounts ?? 0,
        accountsInCollections: counts?.accountsInCollections ?? 0,
      };
    });
    const details: string[] = [];
    if (plan.changes.length > 0) {
      // The panel shows only when the Account page itself is on.
      const affected = plan.group.accountDashboard ? plan.accountsInCollections : 0;
      const verb = `${dryRun ? 'would ' : ''}${state ? 'gain' : 'lose'}`;
      const noun = `account${plan.accounts === 1 ? '' : 's'}`;
      details.push(
        `${affected} of ${plan.accounts} ${noun} ${verb} a visible Collection Balance panel` +
          (plan.group.accountDashboard ? '' : ' (the Account page is turned off for this group)'),
      );
    }
    printPlan(deps, plan, dryRun, details);
    warnIfNoFooterNumber(deps, plan);
  },
});
