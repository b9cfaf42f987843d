// pops lookup [text]: for a patient on the phone (docs/commands.md, "A
// patient is on the phone" in the README). Search accounts by number or
// guarantor name as you type; see the chosen account's figures and what the
// portal shows and why; then open any page as the guarantor sees it, see it
// through another group, pick another account, or quit. It only reads.
import { CancelledError, NotFoundError, UsageError } from '../base/errors.js';
import { displayWidth, truncateToWidth } from '../base/text-width.js';
import { sanitize } from '../base/sanitize.js';
import { formatMoney } from '../domain/money.js';
import type { PortalView } from '../domain/portal.js';
import { defineCommand, optionalArg } from '../shell/command.js';
import { withDbAsync, type Deps } from '../shell/context.js';
import type { Choice } from '../shell/prompts.js';
import { accountPageText, accountShowInput } from '../services/account-view.js';
import { iterateAccountList } from '../store/account-list.js';
import { listGroups } from '../store/groups.js';
import type { Db } from '../store/db.js';
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
  args: [{ ...optionalArg('text', 'the start of an account number, or part of the guarantor name'), completes: 'account' as const }],
  options: {},
  notes: [
    'Type to narrow the accounts (number or guarantor name); each match shows its',
    'group, its non-collection and its collection balance. Then read its figures',
    'and why the portal shows what it shows, and open its pages. It only reads;',
    'Ctrl-C or Quit ends it.',
  ].join('\n'),
  examples: ['pops lookup', 'pops lookup rivera', 'pops lookup 10004'],
  async run(opts, deps) {
    if (!deps.io.interactive) {
      throw new UsageError('lookup needs a terminal', 'Without one: pops accounts list --search <text>, then pops preview <account>.');
    }
    try {
      await withDbAsync(deps, (db) => session(db, deps, opts.text));
    } catch (error) {
      // Ctrl-C at any question ends the lookup: nothing was going to be changed.
      if (!(error instanceof CancelledError)) throw error;
    }
  },
});

async function session(db: Db, deps: Deps, text: string | undefined): Promise<void> {
  // One short read transaction per step: the lookup may stay open for minutes, and must not hold one that long.
  const read = <T>(work: () => T): T => db.read(work);
  const warn = (message: string) => deps.io.warn(message);
  let accountNumber = await findAccount(db, deps, read, text);
  let through: string | undefined;
  let last: Next = 'home';
  for (;;) {
    const input = step(deps, () => read(() => accountShowInput(db, accountNumber, through, warn)));
    if (input === 'group gone') {
      through = undefined;
      continue;
    }
    if (input === 'account gone') {
      accountNumber = await findAccount(db, deps, read, undefined);
      continue;
    }
    deps.io.out(`${accountShowText(deps.io, input)}\n`);
    for (;;) {
      const next = (last = await deps.prompt.select('What next?', MENU, last));
      if (next === 'quit') return;
      if (next === 'group') {
        through = await pickGroup(db, deps, read, input.account.groupId);
        break;
      }
      if (next === 'another') {
        accountNumber = await findAccount(db, deps, read, undefined);
        through = undefined;
        last = 'home';
        break;
      }
      const page = step(deps, () =>
        read(() =>
          accountPageText(db, accountNumber, { group: through, width: pageWidth(deps), view: next, color: deps.io.color, colorLevel: deps.io.colorLevel }),
        ),
      );
      if (page === 'group gone' || page === 'account gone') {
        if (page === 'group gone') through = undefined;
        else accountNumber = await findAccount(db, deps, read, undefined);
        break;
      }
      for (const warning of page.warnings) warn(warning);
      deps.io.out(`${page.text}\n`);
    }
  }
}

/**
 * A step of the lookup, read afresh: another command may have renamed or
 * deleted the group it is seen through, or the account itself (import
 * --replace), meanwhile. Then say so and go on, rather than end the lookup.
 */
function step<T>(deps: Deps, work: () => T): T | 'group gone' | 'account gone' {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const group = /group/.test(error.message);
    deps.io.warn(`${error.message}: ${group ? 'showing the account through its own group' : 'pick another account'}`);
    return group ? 'group gone' : 'account gone';
  }
}

/** The page width: the terminal's, within what a page allows. */
function pageWidth(deps: Deps): number {
  return deps.io.columns ? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, deps.io.columns)) : 80;
}

interface MatchRow {
  accountNumber: string;
  guarantorFirstName: string;
  guarantorLastName: string;
  groupName: string | null;
  groupId: number;
  nonCollectionBalance: number;
  collectionBalance: number;
}

/**
 * One aligned line per match, within the terminal's width:
 * `10004  Rivera, Maria   Lakeside Pediatrics   $153.00  coll. $240.00`
 * (the non-collection balance, then the collection one). Names and groups
 * are cut to fit.
 */
function matchLabels(rows: readonly MatchRow[], columns: number): string[] {
  const cells = rows.map((row) => ({
    account: sanitize(row.accountNumber),
    name: sanitize(nameLastFirst(row.guarantorFirstName, row.guarantorLastName)),
    group: sanitize(row.groupName ?? `(missing group ${row.groupId})`),
    nonCollection: formatMoney(row.nonCollectionBalance),
    collection: `coll. ${formatMoney(row.collectionBalance)}`,
  }));
  const widest = (pick: (c: (typeof cells)[number]) => string) => Math.max(0, ...cells.map((c) => displayWidth(pick(c))));
  const account = widest((c) => c.account);
  const money = widest((c) => c.nonCollection);
  const collection = widest((c) => c.collection);
  // The prompt's pointer takes 2 columns; 2 spaces between columns.
  let room = Math.max(20, columns - 2) - account - money - collection - 8;
  const group = Math.min(
    widest((c) => c.group),
    Math.max(8, Math.floor(room * 0.45)),
  );
  room -= group;
  const name = Math.max(
    8,
    Math.min(
      widest((c) => c.name),
      room,
    ),
  );
  const pad = (text: string, width: number) => {
    const cut = truncateToWidth(text, width);
    return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
  };
  return cells.map(
    (c) =>
      `${pad(c.account, account)}  ${pad(c.name, name)}  ${pad(c.group, group)}  ${' '.repeat(money - displayWidth(c.nonCollection))}${c.nonCollection}  ${c.collection}`,
  );
}

/** An account: the one `text` finds, else one picked among its matches, else searched for as the user types. */
async function findAccount(db: Db, deps: Deps, read: <T>(work: () => T) => T, text: string | undefined): Promise<string> {
  const matches = (term: string): Choice<string>[] => {
    // One more than shown, to know whether there are more.
    const rows = read(() => [...iterateAccountList(db, { search: term.trim() === '' ? undefined : term.trim(), sort: 'account', limit: MATCHES + 1 })]);
    const shown = rows.slice(0, MATCHES);
    const labels = matchLabels(shown, deps.io.columns ?? 80);
    const choices: Choice<string>[] = shown.map((row, i) => ({ name: labels[i], value: row.accountNumber }));
    if (rows.length > MATCHES) choices.push({ name: `(more than ${MATCHES} match: type more of the name or number)`, value: '', disabled: true });
    return choices;
  };
  if (text !== undefined && text.trim() !== '') {
    const found = matches(text);
    const choosable = found.filter((c) => !c.disabled);
    if (choosable.length === 1 && found.length === 1) return found[0].value;
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

/** Another group to see the account through, or its own again (`ownGroupId`). */
async function pickGroup(db: Db, deps: Deps, read: <T>(work: () => T) => T, ownGroupId: number): Promise<string | undefined> {
  const groups = read(() => listGroups(db));
  const OWN = '\u0000own';
  const picked = await deps.prompt.search('Through which group?', async (term) => {
    const wanted = term.trim().toLowerCase();
    const choices: Choice<string>[] = [];
    for (const group of groups) {
      if (choices.length >= MATCHES) break;
      if (!group.name.toLowerCase().includes(wanted)) continue;
      const own = group.id === ownGroupId;
      choices.push({ name: `${sanitize(group.name)}${own ? " (the account's own group)" : ''}`, value: own ? OWN : group.name });
    }
    return choices;
  });
  return picked === OWN ? undefined : picked;
}
