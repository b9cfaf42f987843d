// The portal's pages (docs/portal.md) as plain values: what the guarantor sees
// through one group. Built from one account and the group the page is rendered
// through; render/account-page.ts and render/portal-pages.ts turn it into text.
// No I/O here.
import { accountFigures, encounterBalance, isCollection, latestStatement, lineRemaining } from './balances.js';
import type { Group, GroupSettings } from './group-settings.js';
import { paymentMethodsOffered, type PortalView } from './portal.js';
import type { Cents } from './money.js';
import type { Account, AccountEncounter, AccountLine, AccountPayment, PaymentStatus } from './account.js';

/** The group the pages are seen through: its name and every setting. */
export type PageGroup = Pick<Group, 'name'> & GroupSettings;

export interface PageFigures {
  amountDue: Cents;
  /** The previous statement's amount due; null with fewer than two statements. */
  lastStatement: Cents | null;
  currentBalance: Cents;
  unappliedFunds: Cents;
  payableOnline: Cents;
  collectionBalance: Cents;
}

export interface VisitLine {
  serviceDate: string;
  /** `<encounter>-<line>`, e.g. `67563-4`. */
  serviceId: string;
  billed: Cents;
  adjusted: Cents;
  insurancePaid: Cents;
  patientPaid: Cents;
  remaining: Cents;
}

export interface PatientVisits {
  patientName: string;
  lines: VisitLine[];
}

export interface ProviderVisits {
  providerName: string;
  patients: PatientVisits[];
}

export interface FacilityVisits {
  facilityName: string;
  providers: ProviderVisits[];
}

export interface StatementEntry {
  date: string;
  dueDate: string;
  amountDue: Cents;
}

/** One payment as the Receipts page lists it. */
export interface ReceiptEntry {
  date: string;
  status: PaymentStatus;
  /** card, cash, check, portal or other. */
  method: string;
  /** The amount paid (a declined payment's attempted amount: the page shows $0.00 for it). */
  amount: Cents;
}

/** Everything the pages show. Texts are as stored: the renderer sanitizes them. */
export interface AccountPage {
  group: PageGroup;
  accountNumber: string;
  guarantorName: string;
  figures: PageFigures;
  /** Distinct names of the agencies of `collections` encounters, in code-point order. */
  collectionAgencies: string[];
  /** Visits since the last statement, grouped facility → provider → patient. */
  visits: FacilityVisits[];
  /** Newest due date first. */
  statements: StatementEntry[];
  /** The latest statement (greatest date), or null without statements. */
  latestStatement: StatementEntry | null;
  /** Every payment, newest first (ties in input order). */
  receipts: ReceiptEntry[];
}

/** The Collection Balance panel appears only with Show Collections on and a collection balance above zero. */
export function showsCollectionPanel(group: Pick<PageGroup, 'showCollections'>, figures: Pick<PageFigures, 'collectionBalance'>): boolean {
  return group.showCollections && figures.collectionBalance > 0;
}

/**
 * Whether `view` tells the patient to call about a collection balance: the
 * Account page's Collection Balance panel, or the Pay page's (and QuickPay's)
 * collection line. With no footer number either one can only say "contact the
 * office", which the commands warn about.
 */
export function showsCollectionNotice(
  view: PortalView,
  group: Pick<PageGroup, 'showCollections' | 'accountDashboard'>,
  figures: Pick<PageFigures, 'collectionBalance'>,
): boolean {
  if (view === 'account') return group.accountDashboard && showsCollectionPanel(group, figures);
  if (view === 'pay' || view === 'quickpay') return showsCollectionPanel(group, figures);
  return false;
}

/**
 * Whether the Pay page (or QuickPay) says "Online payment is not available"
 * and gives the footer number: something is payable online but the group
 * offers no payment method.
 */
export function showsNoMethodNotice(
  view: PortalView,
  group: Pick<PageGroup, 'creditCard' | 'applePay' | 'googlePay' | 'splitPayments'>,
  figures: Pick<PageFigures, 'payableOnline'>,
): boolean {
  return (view === 'pay' || view === 'quickpay') && figures.payableOnline > 0 && paymentMethodsOffered(group).length === 0;
}

/** `[ Pay Now ]` needs something payable online and at least one payment method offered (docs/portal.md). */
export function showsPayNow(
  group: Pick<PageGroup, 'creditCard' | 'applePay' | 'googlePay' | 'splitPayments'>,
  figures: Pick<PageFigures, 'payableOnline'>,
): boolean {
  return figures.payableOnline > 0 && paymentMethodsOffered(group).length > 0;
}

// What the page reads of an Account (domain/account.ts): the page is built from
// loaded accounts, and tests can build it from just these fields.
export type PageSourceLine = Pick<AccountLine, 'line' | 'billed' | 'adjusted' | 'insurancePaid' | 'patientPaid'>;

export type PageSourceEncounter = Pick<AccountEncounter, 'number' | 'patient' | 'facility' | 'provider' | 'serviceDate' | 'status'> & {
  agency: Pick<NonNullable<AccountEncounter['agency']>, 'code' | 'name'> | null;
  lines: PageSourceLine[];
};

export type PageSourceAccount = Pick<Account, 'accountNumber' | 'guarantor' | 'unappliedFunds' | 'statements'> & {
  encounters: PageSourceEncounter[];
  payments: (Pick<AccountPayment, 'date' | 'amount'> & Partial<Pick<AccountPayment, 'method' | 'status'>>)[];
};

/** The page for `account` seen through `group` (its own group, or the one given with --group). */
export function buildAccountPage(account: PageSourceAccount, group: PageGroup): AccountPage {
  const figures = accountFigures(account, group.includeNewCharges);
  const latest = latestStatement(account.statements);
  return {
    group,
    accountNumber: account.accountNumber,
    guarantorName: fullName(account.guarantor),
    figures: {
      amountDue: figures.amountDue,
      lastStatement: figures.lastStatement,
      currentBalance: figures.currentBalance,
      unappliedFunds: figures.unappliedFunds,
      payableOnline: figures.payableOnline,
      collectionBalance: figures.collectionBalance,
    },
    collectionAgencies: collectionAgencyNames(account.encounters),
    visits: groupVisits(encountersServedSince(account.encounters, latest)),
    statements: sortedStable(account.statements, newestDueFirst),
    latestStatement: latest ? { date: latest.date, dueDate: latest.dueDate, amountDue: latest.amountDue } : null,
    receipts: receiptsNewestFirst(account.payments),
  };
}

/** Lists up to this long are sorted by insertion (sortedStable). */
const INSERTION_SORT_MAX = 16;

function newestDueFirst(a: StatementEntry, b: StatementEntry): number {
  return compareText(b.dueDate, a.dueDate) || compareText(b.date, a.date);
}

/**
 * A sorted copy, ties in input order (as Array.prototype.sort). A page's
 * short lists are sorted by insertion: the same order, with no rarely taken
 * path for V8 to deoptimize on when a list first comes out of order
 * (docs/performance.md, "Snapshots, V8's compiler"). Longer lists from the
 * store often come in the order asked for, or in the opposite one; both are
 * recognized without sorting.
 */
function sortedStable<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  if (items.length <= INSERTION_SORT_MAX) {
    const sorted = items.slice();
    for (let i = 1; i < sorted.length; i += 1) {
      const item = sorted[i];
      let j = i - 1;
      for (; j >= 0 && compare(sorted[j], item) > 0; j -= 1) sorted[j + 1] = sorted[j];
      sorted[j + 1] = item;
    }
    return sorted;
  }
  let inOrder = true;
  let reversed = true;
  for (let i = 1; i < items.length && (inOrder || reversed); i += 1) {
    const c = compare(items[i - 1], items[i]);
    if (c > 0) inOrder = false;
    // Reversing is only right when no two items tie (ties keep their input order).
    if (c <= 0) reversed = false;
  }
  if (inOrder) return items.slice();
  if (reversed) return items.slice().reverse();
  return items.slice().sort(compare);
}

/** Payments newest first; payments of one day keep their input order. */
function receiptsNewestFirst(payments: PageSourceAccount['payments']): ReceiptEntry[] {
  const receipts: ReceiptEntry[] = [];
  for (const p of sortedStable(payments, newestPaidFirst))
    receipts.push({ date: p.date, status: p.status ?? 'paid', method: p.method ?? 'other', amount: p.amount });
  return receipts;
}

function newestPaidFirst(a: PageSourceAccount['payments'][number], b: PageSourceAccount['payments'][number]): number {
  return compareText(b.date, a.date);
}

/**
 * Non-collection encounters served after the latest statement; without a
 * statement, every non-collection encounter with a nonzero balance.
 */
export function visitsSinceLastStatement<E extends PageSourceEncounter>(
  encounters: readonly E[],
  statements: readonly { date: string; amountDue: Cents }[],
): E[] {
  return encountersServedSince(encounters, latestStatement(statements));
}

function encountersServedSince<E extends PageSourceEncounter>(encounters: readonly E[], latest: { date: string } | undefined): E[] {
  return encounters.filter((e) => {
    if (isCollection(e.status)) return false;
    return latest ? e.serviceDate > latest.date : encounterBalance(e) !== 0;
  });
}

function collectionAgencyNames(encounters: readonly PageSourceEncounter[]): string[] {
  let names: Set<string> | null = null;
  for (const e of encounters) if (isCollection(e.status) && e.agency) (names ??= new Set()).add(e.agency.name);
  return names === null ? [] : [...names].sort(compareText);
}

// The visits grouped: facilities by name then code (two facilities may share
// a name; a code is unique), their providers the same way, their patients by
// last name, first name, id; a patient's encounters in input order (visitLines
// orders them). One stable sort by all three, then one pass over the runs of
// one patient, rather than a map per level, which made three maps per page
// (docs/performance.md, "Snapshots, the store's cache and the visits"). Loops
// with push rather than map(), whose arrays change kind once V8 optimizes it
// (docs/performance.md, "Snapshots, V8's compiler").
function groupVisits(encounters: readonly PageSourceEncounter[]): FacilityVisits[] {
  const visits: FacilityVisits[] = [];
  if (encounters.length === 0) return visits;
  const sorted = sortedStable(encounters, byVisitGroup);
  let facility: FacilityVisits | undefined;
  let provider: ProviderVisits | undefined;
  for (let start = 0, end = 1; start < sorted.length; start = end, end += 1) {
    const first = sorted[start];
    while (end < sorted.length && sameGroup(first, sorted[end], 'patient')) end += 1;
    if (start === 0 || !sameGroup(sorted[start - 1], first, 'facility')) {
      visits.push((facility = { facilityName: first.facility.name, providers: [] }));
      provider = undefined;
    }
    if (provider === undefined || !sameGroup(sorted[start - 1], first, 'provider')) {
      facility!.providers.push((provider = { providerName: first.provider.name, patients: [] }));
    }
    provider.patients.push({ patientName: fullName(first.patient), lines: visitLines(sorted.slice(start, end)) });
  }
  return visits;
}

/** Whether two encounters (sorted by byVisitGroup) fall in the same facility, the same provider there, or the same patient of that provider. */
function sameGroup(a: PageSourceEncounter, b: PageSourceEncounter, level: 'facility' | 'provider' | 'patient'): boolean {
  if (a.facility.code !== b.facility.code) return false;
  if (level === 'facility') return true;
  if (a.provider.code !== b.provider.code) return false;
  return level === 'provider' || a.patient.id === b.patient.id;
}

function byVisitGroup(a: PageSourceEncounter, b: PageSourceEncounter): number {
  return byName(a.facility, b.facility) || byName(a.provider, b.provider) || byPatient(a.patient, b.patient);
}

function byName(a: { code: string; name: string }, b: { code: string; name: string }): number {
  return compareText(a.name, b.name) || compareText(a.code, b.code);
}

function byPatient(a: PageSourceEncounter['patient'], b: PageSourceEncounter['patient']): number {
  return compareText(a.lastName, b.lastName) || compareText(a.firstName, b.firstName) || compareText(a.id, b.id);
}

/** The lines of one patient's encounters: encounters by service date then number, each one's lines by line number. */
function visitLines(encounters: PageSourceEncounter[]): VisitLine[] {
  const lines: VisitLine[] = [];
  const ordered = sortedStable(encounters, (a, b) => compareText(a.serviceDate, b.serviceDate) || a.number - b.number);
  for (const e of ordered) for (const line of sortedStable(e.lines, byLine)) lines.push(visitLine(e, line));
  return lines;
}

function byLine(a: PageSourceLine, b: PageSourceLine): number {
  return a.line - b.line;
}

function visitLine(encounter: PageSourceEncounter, line: PageSourceLine): VisitLine {
  return {
    serviceDate: encounter.serviceDate,
    serviceId: `${encounter.number}-${line.line}`,
    billed: line.billed,
    adjusted: line.adjusted,
    insurancePaid: line.insurancePaid,
    patientPaid: line.patientPaid,
    remaining: lineRemaining(line),
  };
}

function fullName(person: { firstName: string; lastName: string }): string {
  if (person.firstName === '') return person.lastName;
  return person.lastName === '' ? person.firstName : `${person.firstName} ${person.lastName}`;
}

/** Code-point order (as SQLite's BINARY collation): the same on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// UTF-16 puts astral characters (surrogates, D800–DFFF) below E000–FFFF; code-point order puts them above.
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}
