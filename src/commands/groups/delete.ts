// pops groups delete <group> [--yes]: delete a group no account uses, after
// confirmation on a terminal.
import type { Group } from '../../domain/group-settings.js';
import { CancelledError, NotFoundError, UsageError } from '../../base/errors.js';
import { arg, defineCommand, flag } from '../../shell/command.js';
import { withDb } from '../../shell/context.js';
import { quoteName, shellWord } from '../../shell/group-plan.js';
import { groupRef } from '../../shell/parsers.js';
import type { Db } from '../../store/db.js';
import { AuditBatch } from '../../store/audit.js';
import { countAccountsInGroup, findGroupById, resolveGroup } from '../../store/groups.js';
import { writeGroupDeletion } from '../../store/group-writes.js';

export default defineCommand({
  name: 'delete',
  summary: 'delete a group that no account uses',
  args: [arg('group', 'the group: its name (any case) or its id', groupRef)],
  options: { yes: flag('--yes', 'delete without asking for confirmation') },
  examples: ['pops groups delete "Old Clinic"', 'pops groups delete 7 --yes'],
  async run(opts, deps) {
    const group = withDb(deps, (db) => {
      const found = resolveGroup(db, opts.group);
      refuseIfUsed(db, found);
      return found;
    });
    if (!opts.yes) {
      if (!deps.io.interactive) {
        throw new UsageError(`refusing to delete group ${quoteName(group.name)} without confirmation`, 'Run it in a terminal to be asked, or add --yes.');
      }
      const confirmed = await deps.prompt.confirm(`Delete group ${quoteName(group.name)} (id ${group.id})? This cannot be undone.`, false);
      if (!confirmed) throw new CancelledError('not deleted');
    }
    withDb(deps, (db) =>
      db.write(() => {
        // Checked again: the store may have changed while we were asking.
        const current = findGroupById(db, group.id);
        if (!current) throw new NotFoundError(`no such group: ${quoteName(group.name)} (it was deleted meanwhile)`);
        refuseIfUsed(db, current);
        writeGroupDeletion(db, new AuditBatch(db, deps.actor), current);
      }),
    );
    deps.io.err(`pops: deleted group ${quoteName(group.name)} (id ${group.id})\n`);
  },
});

function refuseIfUsed(db: Db, group: Group): void {
  const accounts = countAccountsInGroup(db, group.id);
  if (accounts > 0) {
    throw new UsageError(
      `group ${quoteName(group.name)} is used by ${accounts} account${accounts === 1 ? '' : 's'}; it cannot be deleted`,
      `See them with: pops accounts list --group ${shellWord(group.name)}`,
    );
  }
}
