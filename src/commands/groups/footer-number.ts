// pops groups footer-number <group> [<number>] [--clear] [--dry-run]: show,
// set (validated and normalized to E.164) or clear a group's footer number (SPEC §6).
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { diffGroup } from '../../domain/group-changes.js';
import { SETTINGS_BY_KEY } from '../../domain/group-settings.js';
import { parseSettingText } from '../../domain/group-validate.js';
import { UsageError } from '../../errors.js';
import { resolveGroup } from '../../store/groups.js';
import { displaySetting } from '../../render/group-values.js';
import { printPlan, runGroupPlan, warnIfNoFooterNumber } from './change-plan.js';

interface FooterNumberOptions {
  clear?: boolean;
  dryRun?: boolean;
}

export function define(command: Command, ctx: Context): void {
  command
    .argument('<group>', 'the group: its name (any case) or its id')
    .argument('[number]', 'a North American number, e.g. "(312) 555-0142" or "312-555-0142 x12"; without it, print the current one')
    .option('--clear', 'remove the footer number')
    .option('--dry-run', 'print the change without writing anything')
    .addHelpText(
      'after',
      '\nExamples:\n  pops groups footer-number "Lakeside Pediatrics"\n  pops groups footer-number "Riverbend Orthopedics" "(312) 555-0199 x12"\n  pops groups footer-number 2 --clear --dry-run',
    )
    .action((group: string, number: string | undefined, options: FooterNumberOptions) => run(ctx, group, number, options));
}

export function run(ctx: Context, groupName: string, number: string | undefined, options: FooterNumberOptions): void {
  const dryRun = options.dryRun ?? false;
  if (number !== undefined && options.clear) throw new UsageError('give either a number or --clear, not both');
  if (number === undefined && !options.clear) {
    if (dryRun) throw new UsageError('--dry-run needs a number to set, or --clear');
    const group = withStore(ctx, (db) => resolveGroup(db, groupName));
    ctx.io.out(`${displaySetting('footerPhone', group.footerPhone)}\n`);
    return;
  }
  const footerPhone = options.clear ? null : parseNumber(number as string);
  const plan = runGroupPlan(ctx, dryRun, (db) => {
    const group = resolveGroup(db, groupName);
    return { group, changes: diffGroup(group, { footerPhone }) };
  });
  printPlan(ctx, plan, dryRun);
  warnIfNoFooterNumber(ctx, plan);
}

function parseNumber(number: string): string {
  if (number.trim() === '') throw new UsageError('expected a phone number, got an empty value', 'To remove the footer number, use --clear.');
  const parsed = parseSettingText(SETTINGS_BY_KEY.get('footerPhone')!, number);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.value as string;
}
