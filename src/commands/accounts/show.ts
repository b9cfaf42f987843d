// pops accounts show <account> [--group G]: one account's balance figures
// (docs/balances.md), computed by the pure rules of domain/balances.ts through
// the account's own group or the one of --group, what the portal shows the
// guarantor through that group and why (docs/portal.md, "Diagnosis"), and its
// encounters.
import { arg, defineCommand, flag, valueOption } from '../../shell/command.js';
import { withReadDb } from '../../shell/context.js';
import { groupRef } from '../../shell/parsers.js';
import { accountShowInput } from '../../services/account-view.js';
import { accountShowJson, accountShowText } from '../../render/account-show.js';
import { writeJson } from '../../render/output.js';

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
    const input = withReadDb(deps, (db) => accountShowInput(db, opts.account, opts.group, (message) => deps.io.warn(message)));
    if (opts.json) writeJson(deps.io, accountShowJson(input));
    else deps.io.out(accountShowText(deps.io, input));
  },
});
