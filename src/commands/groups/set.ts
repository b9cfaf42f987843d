// pops groups set <group> <setting flags…> [--name <new>] [--dry-run]: change
// settings (and the name) of one group; prints each change (SPEC §6).
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { diffGroup } from '../../domain/group-changes.js';
import { UsageError } from '../../errors.js';
import { findGroupByName, resolveGroup } from '../../store/groups.js';
import { addSettingOptions, givenSettings, parseNameOption, parseSettingFlags, type RawSettingOptions } from './setting-flags.js';
import { printPlan, quoteName, runGroupPlan, warnIfNoFooterNumber } from './change-plan.js';

interface SetOptions extends RawSettingOptions {
  name?: string;
  dryRun?: boolean;
}

export function define(command: Command, ctx: Context): void {
  command.argument('<group>', 'the group: its name (any case) or its id');
  addSettingOptions(command)
    .option('--name <new>', 'rename the group (1–80 characters, unique in any case)')
    .option('--dry-run', 'print the changes without writing anything')
    .addHelpText(
      'after',
      '\nExamples:\n  pops groups set "Lakeside Pediatrics" --show-collections on --footer-phone "312-555-0142"\n  pops groups set 2 --footer-email "" --dry-run\n  pops groups set "Northshore Family Medicine" --name "Northshore Family Health"',
    )
    .action((group: string, options: SetOptions) => run(ctx, group, options));
}

export function run(ctx: Context, groupName: string, options: SetOptions): void {
  if (givenSettings(options).length === 0 && options.name === undefined) {
    throw new UsageError('nothing to set: give at least one setting flag (e.g. --show-collections on) or --name', 'Run `pops groups set --help` to see the settings.');
  }
  const wanted = parseSettingFlags(options);
  const newName = options.name === undefined ? undefined : parseNameOption(options.name, '--name');
  const dryRun = options.dryRun ?? false;
  const plan = runGroupPlan(ctx, dryRun, (db) => {
    const group = resolveGroup(db, groupName);
    if (newName !== undefined) {
      const holder = findGroupByName(db, newName);
      if (holder && holder.id !== group.id) {
        throw new UsageError(`cannot rename to ${quoteName(newName)}: group ${quoteName(holder.name)} (id ${holder.id}) already has that name`, 'Group names are unique in any case.');
      }
    }
    return { group, changes: diffGroup(group, wanted, newName) };
  });
  printPlan(ctx, plan, dryRun);
  warnIfNoFooterNumber(ctx, plan);
}
