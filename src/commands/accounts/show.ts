// pops accounts show <account> [--group G]: one account's balance figures
// (docs/balances.md), computed by the pure rules of domain/balances.ts through
// the account's own group or the one of --group, what the portal shows the
// guarantor through that group and why (docs/portal.md, "Diagnosis"), and its
// encounters.
import { accountFigures } from '../../domain/balances.js';
import { arg, defineCommand, flag, valueOption } from '../../shell/command.js';
import { withReadTransaction } from '../../shell/context.js';
import { groupRef } from '../../shell/parsers.js';
import { loadAccount } from '../../store/accounts.js';
import { findGroupById, resolveGroup } from '../../store/groups.js';
import { accountShowJson, accountShowText, type AccountShowInput } from '../../render/account-show.js';
import { missingGroupLabel } from '../../render/account-rows.js';
import { writeJson } from '../../render/output.js';
import { sanitize } from '../../base/sanitize.js';

export default defineCommand({
  name: 'show',
  summary: "one account's balance figures, what the portal shows and why, and its encounters",
  args: [arg('account', 'the account number')],
  options: {
    group: valueOption('--group <group>', "see the figures and the portal through this group (name or id) instead of the account's own", groupRef),
    json: flag('--json', 'print one JSON object'),
  },
  examples: ['pops accounts show 10004', 'pops accounts show 10004 --group "Northshore Family Medicine"', 'pops accounts show 10004 --json'],
  run(opts, deps) {
    const input = withReadTransaction(deps, (db): AccountShowInput => {
      const through = opts.group !== undefined ? resolveGroup(db, opts.group) : undefined;
      const account = loadAccount(db, opts.account);
      const own = findGroupById(db, account.groupId);
      const accountGroup = own ? own.name : missingGroupLabel(account.groupId);
      if (!own) {
        // An inconsistent store (docs/store.md): shown as lists show it; without --group, new charges are left out of the amount due.
        deps.io.warn(
          `account ${sanitize(account.accountNumber)} belongs to a group that does not exist (id ${account.groupId}); ` +
            (through ? '' : 'its amount due leaves new charges out and its portal is unknown; ') +
            'the store is inconsistent: run `pops doctor`',
        );
      }
      const group = through ?? own;
      if (!group) {
        return {
          account,
          accountGroup,
          group: { name: accountGroup, includeNewCharges: false, other: false, settings: null },
          figures: accountFigures(account, false),
        };
      }
      return {
        account,
        accountGroup,
        group: { name: group.name, includeNewCharges: group.includeNewCharges, other: group.id !== account.groupId, settings: group },
        figures: accountFigures(account, group.includeNewCharges),
      };
    });
    if (opts.json) writeJson(deps.io, accountShowJson(input));
    else deps.io.out(accountShowText(deps.io, input));
  },
});
