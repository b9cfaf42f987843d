// pops accounts show <account>: one account's balance figures
// (docs/balances.md), computed by the pure rules of domain/balances.ts through
// the account's own group, and its encounters.
import { accountFigures } from '../../domain/balances.js';
import { arg, defineCommand, flag } from '../../shell/command.js';
import { withStore } from '../../shell/context.js';
import { loadAccount } from '../../store/accounts.js';
import { findGroupById } from '../../store/groups.js';
import { accountShowJson, accountShowText, type AccountShowInput } from '../../render/account-show.js';
import { writeJson } from '../../render/output.js';

export default defineCommand({
  name: 'show',
  summary: "one account's balance figures and encounters",
  args: [arg('account', 'the account number')],
  options: { json: flag('--json', 'print one JSON object') },
  examples: ['pops accounts show 10004', 'pops accounts show 10004 --json'],
  run(opts, deps) {
    const input = withStore(deps, (db): AccountShowInput => {
      const account = loadAccount(db, opts.account);
      // The schema's foreign key guarantees the group exists.
      const group = findGroupById(db, account.groupId)!;
      return {
        account,
        group: { name: group.name, includeNewCharges: group.includeNewCharges },
        figures: accountFigures(account, group.includeNewCharges),
      };
    });
    if (opts.json) writeJson(deps.io, accountShowJson(input));
    else deps.io.out(accountShowText(deps.io, input));
  },
});
