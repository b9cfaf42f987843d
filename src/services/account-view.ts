// One account as support staff look at it (docs/commands.md `accounts show`,
// `preview`, `lookup`): its figures and Portal explanation through its own
// group or another, and any page of the portal as the guarantor sees it.
// Call inside a read transaction.
import type { DbLike } from '../store/db.js';
import { accountFigures } from '../domain/balances.js';
import { buildAccountPage, showsCollectionNotice, showsNoMethodNotice } from '../domain/account-page.js';
import type { PortalView } from '../domain/portal.js';
import type { Group } from '../domain/group-settings.js';
import { StoreError } from '../base/errors.js';
import { sanitize } from '../base/sanitize.js';
import { loadAccount } from '../store/accounts.js';
import { findGroupById, resolveGroup } from '../store/groups.js';
import type { AccountShowInput } from '../render/account-show.js';
import { missingGroupLabel } from '../render/account-rows.js';
import { renderView } from '../render/portal-pages.js';

/** The account's figures and portal through its own group, or through `groupReference` (a name or id). */
export function accountShowInput(db: DbLike, accountNumber: string, groupReference: string | undefined, warn: (message: string) => void): AccountShowInput {
  const through = groupReference !== undefined ? resolveGroup(db, groupReference) : undefined;
  const account = loadAccount(db, accountNumber);
  const own = findGroupById(db, account.groupId);
  const accountGroup = own ? own.name : missingGroupLabel(account.groupId);
  if (!own) {
    // An inconsistent store (docs/store.md): shown as lists show it; without --group, new charges are left out of the amount due.
    warn(
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
}

export interface PageOptions {
  /** A group name or id to see the page through, instead of the account's own group. */
  group?: string;
  width: number;
  view: PortalView | 'landing';
  color: boolean;
  colorLevel?: 1 | 2 | 3;
}

/** A page (or the QuickPay screen) of the account as the guarantor sees it, and the warnings for staff that go with it. */
export function accountPageText(db: DbLike, accountNumber: string, options: PageOptions): { text: string; warnings: string[] } {
  const through = options.group !== undefined ? resolveGroup(db, options.group) : undefined;
  const record = loadAccount(db, accountNumber);
  const group: Group | undefined = through ?? findGroupById(db, record.groupId);
  if (!group) {
    // An inconsistent store (docs/store.md): the page depends on the group's settings.
    throw new StoreError(
      `account ${accountNumber} belongs to a group that does not exist (id ${record.groupId}): the store is inconsistent`,
      'Run `pops doctor` to list every problem, or pass --group <group> to see the page through another group.',
    );
  }
  const page = buildAccountPage(record, group);
  const view = options.view === 'landing' ? group.landingPage : options.view;
  const warnings: string[] = [];
  if (group.footerPhone === null && showsCollectionNotice(view, group, page.figures)) {
    const where = view === 'account' ? 'the Collection Balance panel tells' : 'the collection balance line tells';
    warnings.push(`group ${JSON.stringify(sanitize(group.name))} has no footer number: ${where} the patient to contact the office`);
  }
  if (group.footerPhone === null && showsNoMethodNotice(view, group, page.figures)) {
    warnings.push(
      `group ${JSON.stringify(sanitize(group.name))} offers no payment method and has no footer number: the page tells the patient to contact the office`,
    );
  }
  return { text: renderView(view, page, { width: options.width, color: options.color, colorLevel: options.colorLevel }), warnings };
}
