// pops groups delete <group> [--yes]: delete a group no account uses, after
// confirmation on a terminal (SPEC §6).
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import type { Group } from '../../domain/group-settings.js';
import type { DB } from '../../store/open.js';
import { CancelledError, NotFoundError, UsageError } from '../../errors.js';
import { AuditBatch } from '../../store/audit.js';
import { countAccountsInGroup, findGroupById, resolveGroup } from '../../store/groups.js';
import { writeGroupDeletion } from '../../store/group-writes.js';
import { quoteName, shellWord } from './change-plan.js';
import { answer, loadPrompts, promptStreams } from './prompts.js';

export function define(command: Command, ctx: Context): void {
  command
    .argument('<group>', 'the group: its name (any case) or its id')
    .option('--yes', 'delete without asking for confirmation')
    .addHelpText('after', '\nExamples:\n  pops groups delete "Old Clinic"\n  pops groups delete 7 --yes')
    .action(async (group: string, options: { yes?: boolean }) => run(ctx, group, options));
}

export async function run(ctx: Context, groupName: string, options: { yes?: boolean }): Promise<void> {
  const group = withStore(ctx, (db) => {
    const found = resolveGroup(db, groupName);
    refuseIfUsed(db, found);
    return found;
  });
  if (!options.yes) {
    if (!ctx.io.interactive) {
      throw new UsageError(`refusing to delete group ${quoteName(group.name)} without confirmation`, 'Run it in a terminal to be asked, or add --yes.');
    }
    const { confirm } = await loadPrompts();
    const message = `Delete group ${quoteName(group.name)} (id ${group.id})? This cannot be undone.`;
    const confirmed = await answer(confirm({ message, default: false }, promptStreams(ctx)));
    if (!confirmed) throw new CancelledError('not deleted');
  }
  withStore(ctx, (db) =>
    db
      .transaction(() => {
        // Checked again: the store may have changed while we were asking.
        const current = findGroupById(db, group.id);
        if (!current) throw new NotFoundError(`no such group: ${quoteName(group.name)} (it was deleted meanwhile)`);
        refuseIfUsed(db, current);
        writeGroupDeletion(db, new AuditBatch(db, ctx.actor), current);
      })
      .immediate(),
  );
  ctx.io.err(`pops: deleted group ${quoteName(group.name)} (id ${group.id})\n`);
}

function refuseIfUsed(db: DB, group: Group): void {
  const accounts = countAccountsInGroup(db, group.id);
  if (accounts > 0) {
    throw new UsageError(
      `group ${quoteName(group.name)} is used by ${accounts} account${accounts === 1 ? '' : 's'}; it cannot be deleted`,
      `See them with: pops accounts list --group ${shellWord(group.name)}`,
    );
  }
}
