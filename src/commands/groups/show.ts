// pops groups show <group> [--json]: every setting of one group, plus its
// account counts (docs/commands.md).
import { GROUP_SETTINGS, type Group } from '../../domain/group-settings.js';
import { arg, defineCommand, flag } from '../../shell/command.js';
import { withReadDb } from '../../shell/context.js';
import { groupRef } from '../../shell/parsers.js';
import { resolveGroup } from '../../store/groups.js';
import { groupAccountCounts } from '../../store/balance-sql.js';
import { writeJson, writeTable } from '../../render/output.js';
import { displaySetting } from '../../render/group-values.js';

export default defineCommand({
  name: 'show',
  summary: 'every setting of one group, plus its account counts',
  args: [arg('group', 'the group: its name (any case) or its id', groupRef)],
  options: { json: flag('--json', 'print the group as a JSON object') },
  examples: ['pops groups show "Lakeside Pediatrics"', 'pops groups show 2 --json'],
  run(opts, deps) {
    const { group, accounts, accountsInCollections } = withReadDb(deps, (db) => {
      const found = resolveGroup(db, opts.group);
      const counts = groupAccountCounts(db, found.id).get(found.id);
      return { group: found, accounts: counts?.accounts ?? 0, accountsInCollections: counts?.accountsInCollections ?? 0 };
    });
    if (opts.json) {
      writeJson(deps.io, { id: group.id, name: group.name, ...settingsOf(group), accounts, accountsInCollections });
      return;
    }
    writeTable(
      deps.io,
      ['Setting', 'Value'],
      [
        ['Name', group.name],
        ['Id', group.id],
        ...GROUP_SETTINGS.map((setting) => [setting.label, displaySetting(setting.key, group[setting.key])]),
        ['Accounts', accounts],
        ['Accounts with a collection balance', accountsInCollections],
      ],
    );
  },
});

/** The settings alone, in catalogue order. */
function settingsOf(group: Group): Record<string, unknown> {
  return Object.fromEntries(GROUP_SETTINGS.map((setting) => [setting.key, group[setting.key]]));
}
