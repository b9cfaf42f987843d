// pops groups create <name> [setting flags]: a new group; settings not given
// take their defaults (SPEC §4, §6).
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { defaultSettings, type GroupSettings } from '../../domain/group-settings.js';
import { UsageError } from '../../errors.js';
import { AuditBatch } from '../../store/audit.js';
import { findGroupByName } from '../../store/groups.js';
import { writeNewGroup } from '../../store/group-writes.js';
import { addSettingOptions, parseNameOption, parseSettingFlags, type RawSettingOptions } from './setting-flags.js';
import { quoteName, warnIfCollectionsWithoutNumber } from './change-plan.js';

export function define(command: Command, ctx: Context): void {
  command.argument('<name>', 'the new group name (1–80 characters, unique in any case)');
  addSettingOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  pops groups create "Lakeside Pediatrics"\n  pops groups create "Harbor Dermatology" --show-collections on --footer-phone "(312) 555-0199" --footer-email billing@harbor.example.com',
    )
    .action((name: string, options: RawSettingOptions) => run(ctx, name, options));
}

export function run(ctx: Context, rawName: string, options: RawSettingOptions): void {
  const name = parseNameOption(rawName);
  // The flags' values were validated against each setting's kind.
  const settings = { ...defaultSettings(), ...parseSettingFlags(options) } as GroupSettings;
  const id = withStore(ctx, (db) =>
    db
      .transaction(() => {
        const existing = findGroupByName(db, name);
        if (existing) throw new UsageError(`a group named ${quoteName(existing.name)} already exists (id ${existing.id})`, 'Group names are unique in any case; choose another name.');
        return writeNewGroup(db, new AuditBatch(db, ctx.actor), name, settings);
      })
      .immediate(),
  );
  ctx.io.err(`pops: created group ${quoteName(name)} (id ${id})\n`);
  warnIfCollectionsWithoutNumber(ctx, name, settings);
}
