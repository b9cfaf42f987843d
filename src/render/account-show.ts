// `accounts show` (docs/commands.md): one account's balance figures (docs/balances.md) and encounters, as text
// for people and as one JSON object. Pure: plain values in, text out.
import { encounterBalance, latestStatement, type AccountFigures } from '../domain/balances.js';
import { formatDate } from '../domain/dates.js';
import { formatMoney, formatMoneyPlain } from '../domain/money.js';
import type { IO } from '../base/io.js';
import type { Account, AccountEncounter } from '../domain/account.js';
import { tableText } from './output.js';
import { nameLastFirst } from './account-rows.js';
import { sanitize } from '../base/sanitize.js';

export interface AccountShowInput {
  account: Account;
  group: { name: string; includeNewCharges: boolean };
  figures: AccountFigures;
}

/** The JSON document of `accounts show --json` (its shape is in docs/formats.md). */
export function accountShowJson({ account, group, figures }: AccountShowInput): unknown {
  const money = formatMoneyPlain;
  const latest = latestStatement(account.statements);
  return {
    accountNumber: account.accountNumber,
    guarantor: { firstName: account.guarantor.firstName, lastName: account.guarantor.lastName },
    group: group.name,
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

export function accountShowText(io: IO, { account, group, figures }: AccountShowInput): string {
  const latest = latestStatement(account.statements);
  const header = aligned(
    [
      ['Account', sanitize(account.accountNumber)],
      ['Guarantor', nameLastFirst(sanitize(account.guarantor.firstName), sanitize(account.guarantor.lastName))],
      ['Group', `${sanitize(group.name)} (new charges ${group.includeNewCharges ? 'included in' : 'not in'} amount due)`],
      ['Latest statement', latest ? `${formatDate(latest.date)}, due ${formatDate(latest.dueDate)}, ${formatMoney(latest.amountDue)}` : 'none'],
    ],
    'left',
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
  return `${header}\n\n${balances}\n\nEncounters\n${encounters}`;
}
