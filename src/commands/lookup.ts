// pops lookup [text]: for a patient on the phone (docs/commands.md, "A
// patient is on the phone" in the README). Search accounts by number or
// guarantor name as you type; see the chosen account's figures and what the
// portal shows and why; then open any page as the guarantor sees it, see it
// through another group, pick another account, or quit. It only reads.
import { CancelledError, UsageError } from '../base/errors.js';
import { sanitize } from '../base/sanitize.js';
import { formatMoney } from '../domain/money.js';
import type { PortalView } from '../domain/portal.js';
import { defineCommand, optionalArg } from '../shell/command.js';
import { withStoreAsync, type Deps } from '../shell/context.js';
import type { Choice } from '../shell/prompts.js';
import { accountPageText, accountShowInput } from '../services/account-view.js';
import { iterateAccountList } from '../store/account-list.js';
import { listGroups } from '../store/groups.js';
import type { DB } from '../store/open.js';
import { accountShowText } from '../render/account-show.js';
import { nameLastFirst } from '../render/account-rows.js';
import { MAX_WIDTH, MIN_WIDTH } from '../render/account-page.js';

/** Matches shown at a time while searching. */
const MATCHES = 20;

type Next = PortalView | 'group' | 'another' | 'quit';

const MENU: readonly Choice<Next>[] = [
  { name: 'Home page', value: 'home' },
  { name: 'Account page', value: 'account' },
  { name: 'Pay page', value: 'pay' },
  { name: 'Statements page', value: 'statements' },
  { name: 'Receipts page', value: 'receipts' },
  { name: 'QuickPay screen', value: 'quickpay' },
  { name: 'See it through another group', value: 'group' },
  { name: 'Pick another account', value: 'another' },
  { name: 'Quit', value: 'quit' },
];

export default defineCommand({
  name: 'lookup',
  summary: 'find an account as you type, see its figures and portal, open its pages (on a terminal)',
  args: [optionalArg('text', 'the start of an account number, or part of the guarantor name')],
  options: {},
  notes: 'Type to narrow the accounts (number or guarantor name); each match shows its group and both balances. It only reads. Ctrl-C or Quit ends it.',
  examples: ['pops lookup', 'pops lookup rivera', 'pops lookup 10004'],
  async run(opts, deps) {
    if (!deps.io.interactive) {
      throw new UsageError(
        'pops lookup needs a terminal',
        'Without one: pops accounts list --search <text> finds the account, pops accounts show <account> explains it, pops preview <account> --page <page> shows a page.',
      );
    }
    try {
      await withStoreAsync(deps, (db) => session(db, deps, opts.text));
    } catch (error) {
      // Ctrl-C at any question ends the lookup: nothing was going to be changed.
      if (!(error instanceof CancelledError)) throw error;
    }
  },
});

async function session(db: DB, deps: Deps, text: string | undefined): Promise<void> {
  // One short read transaction per step: the lookup may stay open for minutes, and must not hold one that long.
  const read = <T>(work: () => T): T => db.transaction(work).deferred();
  const warn = (message: string) => deps.io.warn(message);
  let accountNumber = await findAccount(db, deps, read, text);
  let through: string | undefined;
  for (;;) {
    const input = read(() => accountShowInput(db, accountNumber, through, warn));
    deps.io.out(`${accountShowText(deps.io, input)}\n`);
    for (let next = await menu(deps); ; next = await menu(deps)) {
      if (next === 'quit') return;
      if (next === 'group') {
        through = await pickGroup(db, deps, read);
        break;
      }
      if (next === 'another') {
        accountNumber = await findAccount(db, deps, read, undefined);
        through = undefined;
        break;
      }
      const { text: page, warnings } = read(() =>
        accountPageText(db, accountNumber, { group: through, width: pageWidth(deps), view: next, color: deps.io.color, colorLevel: deps.io.colorLevel }),
      );
      for (const warning of warnings) warn(warning);
      deps.io.out(`${page}\n`);
    }
  }
}

/** The page width: the terminal's, within what a page allows. */
function pageWidth(deps: Deps): number {
  return deps.io.columns ? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, deps.io.columns)) : 80;
}

function menu(deps: Deps): Promise<Next> {
  return deps.prompt.select('What next?', MENU, 'home');
}

/** `10004  Rivera, Maria  Lakeside Pediatrics  Non-Collection $1,234.56  Collection $120.00` */
function matchLabel(row: {
  accountNumber: string;
  guarantorFirstName: string;
  guarantorLastName: string;
  groupName: string | null;
  groupId: number;
  nonCollectionBalance: number;
  collectionBalance: number;
}): string {
  const group = row.groupName ?? `(missing group ${row.groupId})`;
  return sanitize(
    `${row.accountNumber}  ${nameLastFirst(row.guarantorFirstName, row.guarantorLastName)}  ${group}  ` +
      `Non-Collection ${formatMoney(row.nonCollectionBalance)}  Collection ${formatMoney(row.collectionBalance)}`,
  );
}

/** An account: the one `text` finds, else one picked among its matches, else searched for as the user types. */
async function findAccount(db: DB, deps: Deps, read: <T>(work: () => T) => T, text: string | undefined): Promise<string> {
  const matches = (term: string): Choice<string>[] =>
    read(() => [...iterateAccountList(db, { search: term.trim() === '' ? undefined : term.trim(), sort: 'account', limit: MATCHES })]).map((row) => ({
      name: matchLabel(row),
      value: row.accountNumber,
    }));
  if (text !== undefined && text.trim() !== '') {
    const found = matches(text);
    if (found.length === 1) return found[0].value;
    if (found.length > 1) {
      const SEARCH = '\u0000search';
      const picked = await deps.prompt.select(
        `Accounts matching ${JSON.stringify(sanitize(text))}`,
        [...found, { name: 'Search again', value: SEARCH }],
        found[0].value,
      );
      if (picked !== SEARCH) return picked;
    } else deps.io.warn(`no account matches ${JSON.stringify(sanitize(text))}`);
  }
  return deps.prompt.search('Account number or guarantor name', async (term) => matches(term));
}

/** Another group to see the account through, or its own again. */
async function pickGroup(db: DB, deps: Deps, read: <T>(work: () => T) => T): Promise<string | undefined> {
  const groups = read(() => listGroups(db));
  const OWN = '\u0000own';
  const picked = await deps.prompt.search('Through which group?', async (term) => {
    const wanted = term.trim().toLowerCase();
    const choices: Choice<string>[] = [{ name: "The account's own group", value: OWN }];
    for (const group of groups) {
      if (choices.length > MATCHES) break;
      if (group.name.toLowerCase().includes(wanted)) choices.push({ name: sanitize(group.name), value: group.name });
    }
    return choices;
  });
  return picked === OWN ? undefined : picked;
}
