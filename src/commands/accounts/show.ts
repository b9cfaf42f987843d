// pops accounts show <account>: one account's balance figures
// (docs/balances.md), computed by the pure rules of domain/balances.ts through
// the account's own group, and its encounters.
import { accountFigures } from '../../domain/balances.js';
import { arg, defineCommand, flag } from '../../shell/command.js';
import { withReadTransaction } from '../../shell/context.js';
import { loadAccount } from '../../store/accounts.js';
import { findGroupById } from '../../store/groups.js';
import { accountShowJson, accountShowText, type AccountShowInput } from '../../render/account-show.js';
import { missingGroupLabel } from '../../render/account-rows.js';
import { writeJson } from '../../render/output.js';
import { sanitize } from '../../base/sanitize.js';

export default defineCommand({
  name: 'show',
  summary: "one account's balance figures and encounters",
  args: [arg('account', 'the account number')],
  options: { json: flag('--json', 'print one JSON object') },
  examples: ['pops accounts show 10004', 'pops accounts show 10004 --json'],
  run(opts, deps) {
    const input = withReadTransaction(deps, (db): AccountShowInput => {
      const account = loadAccount(db, opts.account);
      const group = findGroupById(db, account.groupId);
      if (!group) {
        // An inconsistent store (docs/store.md): shown as lists show it, new charges left out of the amount due.
        deps.io.warn(
          `account ${sanitize(account.accountNumber)} belongs to a group that does not exist (id ${account.groupId}); ` +
            'its amount due leaves new charges out; the store is inconsistent: run `pops doctor`',
        );
        return { account, group: { name: missingGroupLabel(account.groupId), includeNewCharges: false }, figures: accountFigures(account, false) };
      }
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
