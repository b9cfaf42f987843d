// pops accounts show <account>: one account's §4 figures, computed by the pure
// rules of domain/balances.ts through the account's own group, and its encounters.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { accountFigures } from '../../domain/balances.js';
import { loadAccount } from '../../store/accounts.js';
import { findGroupById } from '../../store/groups.js';
import { accountShowJson, accountShowText, type AccountShowInput } from '../../render/account-show.js';
import { writeJson } from '../../render/output.js';

export function define(command: Command, ctx: Context): void {
  command
    .argument('<account>', 'the account number')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  pops accounts show 10004\n  pops accounts show 10004 --json')
    .action((accountNumber: string, options: { json?: boolean }) => {
      const input = withStore(ctx, (db): AccountShowInput => {
        const account = loadAccount(db, accountNumber);
        // The schema's foreign key guarantees the group exists.
        const group = findGroupById(db, account.groupId)!;
        return {
          account,
          group: { name: group.name, includeNewCharges: group.includeNewCharges },
          figures: accountFigures(account, group.includeNewCharges),
        };
      });
      if (options.json) writeJson(ctx.io, accountShowJson(input));
      else ctx.io.out(accountShowText(ctx.io, input));
    });
}
