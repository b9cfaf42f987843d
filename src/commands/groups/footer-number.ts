// pops groups footer-number <group> [<number>] [--clear] [--dry-run]: show,
// set (validated and normalized to E.164) or clear a group's footer number.
import { diffGroup } from '../../domain/group-changes.js';
import { UsageError } from '../../base/errors.js';
import { arg, defineCommand, flag, optionalArg } from '../../shell/command.js';
import { withDb } from '../../shell/context.js';
import { printPlan, runGroupPlan, warnIfNoFooterNumber } from '../../shell/group-plan.js';
import { groupRef, settingValue } from '../../shell/parsers.js';
import { resolveGroup } from '../../store/groups.js';
import { displaySetting } from '../../render/group-values.js';

const footerPhone = settingValue('footerPhone');

export default defineCommand({
  name: 'footer-number',
  summary: "show, set or clear a group's footer number",
  args: [
    arg('group', 'the group: its name (any case) or its id', groupRef),
    optionalArg('number', 'a North American number, e.g. "(312) 555-0142" or "312-555-0142 x12"; without it, print the current one', (raw, where) => {
      if (raw.trim() === '') throw new UsageError('expected a phone number, got an empty value', 'To remove the footer number, use --clear.');
      return footerPhone(raw, where) as string;
    }),
  ],
  options: {
    clear: flag('--clear', 'remove the footer number'),
    dryRun: flag('--dry-run', 'print the change without writing anything'),
  },
  examples: [
    'pops groups footer-number "Lakeside Pediatrics"',
    'pops groups footer-number "Riverbend Orthopedics" "(312) 555-0199 x12"',
    'pops groups footer-number 2 --clear --dry-run',
  ],
  check(opts) {
    if (opts.number !== undefined && opts.clear) throw new UsageError('give either a number or --clear, not both');
    if (opts.number === undefined && !opts.clear && opts.dryRun) throw new UsageError('--dry-run needs a number to set, or --clear');
  },
  run(opts, deps) {
    if (opts.number === undefined && !opts.clear) {
      const group = withDb(deps, (db) => resolveGroup(db, opts.group));
      deps.io.out(`${displaySetting('footerPhone', group.footerPhone)}\n`);
      return;
    }
    const wanted = opts.clear ? null : (opts.number as string);
    const plan = runGroupPlan(deps, opts.dryRun, (db) => {
      const group = resolveGroup(db, opts.group);
      return { group, changes: diffGroup(group, { footerPhone: wanted }) };
    });
    printPlan(deps, plan, opts.dryRun);
    warnIfNoFooterNumber(deps, plan);
  },
});
