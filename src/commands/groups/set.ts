// pops groups set <group> <setting flags…> [--name <new>] [--dry-run]: change
// settings (and the name) of one group; prints each change.
import { diffGroup } from '../../domain/group-changes.js';
import { UsageError } from '../../base/errors.js';
import { arg, defineCommand, flag, valueOption } from '../../shell/command.js';
import { printPlan, quoteName, runGroupPlan, warnIfNoFooterNumber } from '../../shell/group-plan.js';
import { groupRef, newGroupName } from '../../shell/parsers.js';
import { givenSettings, settingOptions } from '../../shell/setting-flags.js';
import { findGroupByName, resolveGroup } from '../../store/groups.js';

export default defineCommand({
  name: 'set',
  summary: 'change settings of a group (or rename it); prints each change',
  args: [arg('group', 'the group: its name (any case) or its id', groupRef)],
  options: {
    ...settingOptions(),
    name: valueOption('--name <new>', 'rename the group (1–80 characters, unique in any case)', newGroupName),
    dryRun: flag('--dry-run', 'print the changes without writing anything'),
  },
  examples: [
    'pops groups set "Lakeside Pediatrics" --show-collections on --footer-phone "312-555-0142"',
    'pops groups set 2 --footer-email "" --dry-run',
    'pops groups set "Northshore Family Medicine" --name "Northshore Family Health"',
  ],
  check(opts) {
    if (Object.keys(givenSettings(opts)).length === 0 && opts.name === undefined) {
      throw new UsageError(
        'nothing to set: give at least one setting flag (e.g. --show-collections on) or --name',
        'Run `pops groups set --help` to see the settings.',
      );
    }
  },
  run(opts, deps) {
    const wanted = givenSettings(opts);
    const newName = opts.name;
    const plan = runGroupPlan(deps, opts.dryRun, (db) => {
      const group = resolveGroup(db, opts.group);
      if (newName !== undefined) {
        const holder = findGroupByName(db, newName);
        if (holder && holder.id !== group.id) {
          throw new UsageError(
            `cannot rename to ${quoteName(newName)}: group ${quoteName(holder.name)} (id ${holder.id}) already has that name`,
            'Group names are unique in any case.',
          );
        }
      }
      return { group, changes: diffGroup(group, wanted, newName) };
    });
    printPlan(deps, plan, opts.dryRun);
    warnIfNoFooterNumber(deps, plan);
  },
});
