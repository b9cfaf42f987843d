// pops groups show <group> [--json]: every setting of one group, plus its
// account counts (SPEC §6).
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { GROUP_SETTINGS, type Group } from '../../domain/group-settings.js';
import { resolveGroup } from '../../store/groups.js';
import { groupAccountCounts } from '../../store/balance-sql.js';
import { writeJson, writeTable } from '../../render/output.js';
import { displaySetting } from '../../render/group-values.js';

export function define(command: Command, ctx: Context): void {
  command
    .argument('<group>', 'the group: its name (any case) or its id')
    .option('--json', 'print the group as a JSON object')
    .addHelpText('after', '\nExamples:\n  pops groups show "Lakeside Pediatrics"\n  pops groups show 2 --json')
    .action((name: string, options: { json?: boolean }) => run(ctx, name, options));
}

export function run(ctx: Context, name: string, options: { json?: boolean }): void {
  const { group, accounts, accountsInCollections } = withStore(ctx, (db) => {
    const found = resolveGroup(db, name);
    const counts = groupAccountCounts(db, found.id).get(found.id);
    return { group: found, accounts: counts?.accounts ?? 0, accountsInCollections: counts?.accountsInCollections ?? 0 };
  });
  if (options.json) {
    writeJson(ctx.io, { id: group.id, name: group.name, ...settingsOf(group), accounts, accountsInCollections });
    return;
  }
  writeTable(ctx.io, ['Setting', 'Value'], [
    ['Name', group.name],
    ['Id', group.id],
    ...GROUP_SETTINGS.map((setting) => [setting.label, displaySetting(setting.key, group[setting.key])]),
    ['Accounts', accounts],
    ['Accounts with a collection balance', accountsInCollections],
  ]);
}

/** The settings alone, in catalogue order. */
function settingsOf(group: Group): Record<string, unknown> {
  return Object.fromEntries(GROUP_SETTINGS.map((setting) => [setting.key, group[setting.key]]));
}
