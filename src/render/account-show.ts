// `accounts show` (docs/commands.md): one account's balance figures (docs/balances.md), what the portal
// shows the guarantor and why (docs/portal.md, "Diagnosis"), and its encounters, as text for people and as
// one JSON object. Pure: plain values in, text out.
import { encounterBalance, latestStatement, type AccountFigures } from '../domain/balances.js';
import { formatDate } from '../domain/dates.js';
import { formatMoney, formatMoneyPlain } from '../domain/money.js';
import type { IO } from '../base/io.js';
import type { Account, AccountEncounter } from '../domain/account.js';
import type { GroupSettings } from '../domain/group-settings.js';
import { diagnosePortal, type PaymentMethodKey, type PortalDiagnosis } from '../domain/portal.js';
import { showsCollectionNotice } from '../domain/account-page.js';
import { tableText } from './output.js';
import { nameLastFirst } from './account-rows.js';
import { sanitize } from '../base/sanitize.js';
import { displayWidth, truncateToWidth, wrapToWidth } from '../base/text-width.js';

export interface AccountShowInput {
  account: Account;
  /** The account's own group's name (`(missing group N)` when its row is gone: docs/store.md). */
  accountGroup: string;
  /**
   * The group the figures and the Portal section are seen through: the account's own, or the one of
   * `--group` (`other`). `settings` is null only when the account's own group is missing and no
   * `--group` was given: then the portal cannot be known.
   */
  group: { name: string; includeNewCharges: boolean; other: boolean; settings: GroupSettings | null };
  figures: AccountFigures;
}

/** The Portal diagnosis of the group the account is seen through; null when that group is missing. */
function portalDiagnosis({ group, figures }: AccountShowInput): PortalDiagnosis | null {
  return group.settings === null ? null : diagnosePortal(group.settings, figures);
}

/**
 * The JSON document of `accounts show --json` (its shape is in docs/formats.md): `group` and
 * `includeNewCharges` are the group the figures and `portal` are seen through, `accountGroup` the
 * account's own (the same name unless `--group` names another).
 */
export function accountShowJson(input: AccountShowInput): unknown {
  const { account, accountGroup, group, figures } = input;
  const money = formatMoneyPlain;
  const latest = latestStatement(account.statements);
  const portal = portalDiagnosis(input);
  return {
    accountNumber: account.accountNumber,
    guarantor: { firstName: account.guarantor.firstName, lastName: account.guarantor.lastName },
    group: group.name,
    accountGroup,
    includeNewCharges: group.includeNewCharges,
    collectionBalance: money(figures.collectionBalance),
    preCollectionsBalance: money(figures.preCollectionsBalance),
    nonCollectionBalance: money(figures.nonCollectionBalance),
    totalBalance: money(figures.totalBalance),
    amountDue: money(figures.amountDue),
    lastStatement: figures.lastStatement === null ? null : money(figures.lastStatement),
    unappliedFunds: money(figures.unappliedFunds),
    currentBalance: money(figures.currentBalance),
    payableOnline: money(figures.payableOnline),
    paymentsSinceStatement: money(figures.paymentsSinceStatement),
    newCharges: money(figures.newCharges),
    latestStatement: latest ? { date: latest.date, dueDate: latest.dueDate, amountDue: money(latest.amountDue) } : null,
    portal: portal && {
      landingPage: portal.landingPage,
      collectionPanel: portal.collectionPanel,
      payNow: portal.payNow,
      payableOnline: money(portal.payableOnline),
      paymentMethods: portal.paymentMethods,
      applePayWithheld: portal.applePayWithheld,
    },
    encounters: byServiceDate(account.encounters).map((encounter) => ({
      number: encounter.number,
      serviceDate: encounter.serviceDate,
      patient: { id: encounter.patient.id, firstName: encounter.patient.firstName, lastName: encounter.patient.lastName },
      status: encounter.status,
      collectionAgency: encounter.agency ? { code: encounter.agency.code, name: encounter.agency.name } : null,
      sentToCollectionsOn: encounter.sentToCollectionsOn,
      balance: money(encounterBalance(encounter)),
    })),
  };
}

/** Encounters as `accounts show` lists them: by service date, then number. */
function byServiceDate(encounters: readonly AccountEncounter[]): AccountEncounter[] {
  return [...encounters].sort((a, b) => (a.serviceDate < b.serviceDate ? -1 : a.serviceDate > b.serviceDate ? 1 : a.number - b.number));
}

const STATUS_WORDS = { open: 'Open', 'pre-collections': 'Pre-Collections', collections: 'Collections' } as const;

/** Label/value lines with the labels padded to one width and the values right-aligned. */
function aligned(pairs: readonly (readonly [string, string])[], alignValues: 'left' | 'right'): string {
  const labelWidth = Math.max(...pairs.map(([label]) => label.length));
  const valueWidth = Math.max(...pairs.map(([, value]) => value.length));
  return pairs.map(([label, value]) => `${label.padEnd(labelWidth)}  ${alignValues === 'right' ? value.padStart(valueWidth) : value}`.trimEnd()).join('\n');
}

/** The width text lines keep within: the terminal's (at least 40 columns), else 80. */
function textWidth(io: IO): number {
  return io.stdoutIsTTY && io.columns ? Math.max(40, io.columns) : DEFAULT_WIDTH;
}

export function accountShowText(io: IO, input: AccountShowInput): string {
  const { account, accountGroup, group, figures } = input;
  const width = textWidth(io);
  const latest = latestStatement(account.statements);
  const newCharges = `(new charges ${group.includeNewCharges ? 'included in' : 'not in'} amount due)`;
  const groupLines: [string, string][] = group.other
    ? [
        ['Group', `${sanitize(accountGroup)} (the account's own)`],
        ['Seen through', `${sanitize(group.name)} ${newCharges}`],
      ]
    : [['Group', `${sanitize(group.name)} ${newCharges}`]];
  const header = alignedWrapped(
    [
      ['Account', sanitize(account.accountNumber)],
      ['Guarantor', nameLastFirst(sanitize(account.guarantor.firstName), sanitize(account.guarantor.lastName))],
      ...groupLines,
      ['Latest statement', latest ? `${formatDate(latest.date)}, due ${formatDate(latest.dueDate)}, ${formatMoney(latest.amountDue)}` : 'none'],
    ],
    width,
  );
  const balances = aligned(
    [
      ['Collection balance', formatMoney(figures.collectionBalance)],
      ['Pre-collections balance', formatMoney(figures.preCollectionsBalance)],
      ['Non-collection balance', formatMoney(figures.nonCollectionBalance)],
      ['Total balance', formatMoney(figures.totalBalance)],
      ['Amount due', formatMoney(figures.amountDue)],
      ['Last statement', figures.lastStatement === null ? '—' : formatMoney(figures.lastStatement)],
      ['Current balance', formatMoney(figures.currentBalance)],
      ['Unapplied funds', formatMoney(figures.unappliedFunds)],
      ['Payable online', formatMoney(figures.payableOnline)],
      ['Payments since statement', formatMoney(figures.paymentsSinceStatement)],
      ['New charges', formatMoney(figures.newCharges)],
    ],
    'right',
  );
  const encounters =
    account.encounters.length === 0
      ? 'No encounters.\n'
      : tableText(
          io,
          ['Encounter', 'Service Date', 'Patient', 'Status', 'Agency', 'Balance'],
          byServiceDate(account.encounters).map((encounter) => [
            encounter.number,
            formatDate(encounter.serviceDate),
            nameLastFirst(sanitize(encounter.patient.firstName), sanitize(encounter.patient.lastName)),
            STATUS_WORDS[encounter.status],
            encounter.agency?.name ?? '',
            formatMoney(encounterBalance(encounter)),
          ]),
          { alignRight: [0, 5] },
        );
  return `${header}\n\n${balances}\n\n${portalText(input, width)}\n\nEncounters\n${encounters}`;
}

/** The width of text lines when stdout is not a terminal. */
const DEFAULT_WIDTH = 80;

const LANDING_WORDS: Record<GroupSettings['landingPage'], string> = { home: 'Home', account: 'Account', pay: 'Pay' };
const METHOD_WORDS: Record<PaymentMethodKey, string> = { creditCard: 'Credit card', applePay: 'Apple Pay', googlePay: 'Google Pay' };

/**
 * The Portal section (docs/portal.md, "Diagnosis"): the diagnosis of `accountShowJson`'s `portal`, in
 * words support staff can read to a caller. Each `not shown` names the first reason that applies.
 */
function portalText(input: AccountShowInput, width: number): string {
  const { account, group, figures } = input;
  const title = group.other ? truncateToWidth(`Portal, seen through ${sanitize(group.name)}`, width) : 'Portal';
  if (group.settings === null) {
    const why =
      `Unknown: the account's group (id ${account.groupId}) does not exist, and what the portal shows depends on ` +
      "the group's settings. Add --group <group> to see it through a group that exists.";
    return `${title}\n${wrapToWidth(why, width).join('\n')}`;
  }
  const settings = group.settings;
  const diagnosis = diagnosePortal(settings, figures);
  const pageOff = 'not shown — the Account dashboard is off for this group (no Account page)';
  const inCollections = formatMoney(figures.collectionBalance);
  const payable = formatMoney(diagnosis.payableOnline);

  const landing =
    diagnosis.landingPage === 'account' && !settings.accountDashboard
      ? 'Account, but the Account dashboard is off for this group: the patient lands on a notice saying so'
      : LANDING_WORDS[diagnosis.landingPage];

  const panel = ((): string => {
    switch (diagnosis.collectionPanel.reason) {
      case null:
        return (
          `shown (${inCollections} in collections, never payable online)` +
          (settings.footerPhone === null ? '; the group has no footer number, so it says to contact the office' : '')
        );
      case 'account-page-off':
        return showsCollectionNotice('pay', settings, figures) ? `${pageOff}; the Pay page still says ${inCollections} is in collections` : pageOff;
      case 'show-collections-off':
        return (
          'not shown — Show Collections is off for this group' +
          (figures.collectionBalance > 0 ? `; the patient is not told of the ${inCollections} in collections` : '')
        );
      case 'no-collection-balance':
        return `not shown — the collection balance is ${inCollections}`;
    }
  })();

  const payNow = ((): string => {
    switch (diagnosis.payNow.reason) {
      case null:
        return `shown (${payable} can be paid online)`;
      case 'account-page-off':
        // Home and Pay do not depend on the Account page: say whether they take a payment.
        if (diagnosis.payableOnline <= 0) return `${pageOff}; there is nothing to pay online anyway`;
        if (diagnosis.paymentMethods.length === 0) return `${pageOff}; no payment method is offered anyway`;
        return `${pageOff}; Home and Pay still take ${payable} online`;
      case 'nothing-payable':
        return 'not shown — there is nothing to pay online';
      case 'no-payment-method':
        return diagnosis.applePayWithheld
          ? `not shown — no payment method is offered (Apple Pay is on but withheld, because payments are split), so ${payable} cannot be paid online`
          : `not shown — no payment method is on for this group, so ${payable} cannot be paid online`;
    }
  })();

  const applePay = diagnosis.applePayWithheld
    ? 'on but not offered, because payments are split'
    : settings.applePay
      ? 'offered, but only in Safari on an Apple device'
      : 'off for this group';

  const lines = alignedWrapped(
    [
      ['Lands on', landing],
      ['Collection Balance panel', panel],
      ['Pay Now', payNow],
      ['Payment methods', diagnosis.paymentMethods.length === 0 ? 'none' : diagnosis.paymentMethods.map((m) => METHOD_WORDS[m]).join(', ')],
      ['Apple Pay', applePay],
    ],
    width,
  );
  return `${title}\n${lines}`;
}

/** Label/value lines like `aligned`, each value word-wrapped so that no line passes `width` columns. */
function alignedWrapped(pairs: readonly (readonly [string, string])[], width: number): string {
  const labelWidth = Math.max(...pairs.map(([label]) => displayWidth(label)));
  const indent = ' '.repeat(labelWidth + 2);
  return pairs
    .map(([label, value]) =>
      wrapToWidth(value, width - indent.length)
        .map((row, i) => `${i === 0 ? label.padEnd(labelWidth) + '  ' : indent}${row}`.trimEnd())
        .join('\n'),
    )
    .join('\n');
}
