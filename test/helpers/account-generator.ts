// A seeded generator of account data with every shape §4 cares about, and the
// expected `accounts list` figures computed straight from the SPEC §4 table —
// deliberately NOT through src/domain/balances.ts or the SQL, so the tests hold
// both implementations to an independent answer.

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function centsText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function textCents(text: string): number {
  const [whole, fraction] = text.split('.');
  return Number(whole) * 100 + Number(fraction);
}

export const GROUPS = [
  { name: 'North Clinic', includeNewCharges: true, showCollections: true, footerPhone: '(312) 555-0142' },
  { name: 'South Clinic, "Main"', includeNewCharges: false, showCollections: false },
  { name: 'West Pediatrics', includeNewCharges: false, showCollections: true, footerPhone: '312-555-0199' },
  { name: 'East Family Care', includeNewCharges: true },
];

// Names chosen so that code-point order differs from a locale order:
// "Acme…" < "Summit…" < "bayside…" < "Ångström…".
export const AGENCIES = [
  { code: 'SUMMIT', name: 'Summit Recovery Services' },
  { code: 'ACME', name: 'Acme "Fast" Collections, Inc.' },
  { code: 'ANG', name: 'Ångström Recovery' },
  { code: 'BAY', name: 'bayside credit' },
];

const FIRST_NAMES = ['Maria', 'Leo', 'Ana', 'José', 'Siobhán', 'Tomasz', 'Aisha', 'Robert', 'maria', 'Zoë'];
const LAST_NAMES = ['Rivera', "O'Brien", 'Smith, Jr.', 'Ñuñez', 'de la Cruz', 'Østergaard', 'Baker', 'Holliday "Doc"', 'rivera', 'Kim'];

/** The guarantor whose name tries to reach the terminal raw. */
export const HOSTILE_ACCOUNT = 'EVIL-1';
export const HOSTILE_GUARANTOR = { firstName: 'Bell\u0007\u009b2J', lastName: 'Red\u001b[31mAlert\u001b]0;pwned\u0007' };

type Dump = Record<string, any>;

export function generateDump(seed: number, accountCount: number): Dump {
  const random = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (p: number): boolean => random() < p;
  const day = (): string => new Date(Date.UTC(2026, 0, 1) + int(0, 364) * 86_400_000).toISOString().slice(0, 10);
  let encounterNumber = 70_000;

  const accounts = [];
  for (let i = 0; i < accountCount; i += 1) {
    const prefix = pick(['', 'AB-', 'ab', 'Z']);
    const accountNumber = `${prefix}${String(10_000 + i * 7)}`;
    const statements: { date: string; dueDate: string; amountDue: string }[] = [];
    const statementDates = new Set<string>();
    for (let s = int(0, 3); s > 0; s -= 1) statementDates.add(day());
    for (const date of statementDates) statements.push({ date, dueDate: date, amountDue: centsText(chance(0.2) ? 0 : int(0, 60_000)) });
    const latestDate = [...statementDates].sort().at(-1);

    const payments = [];
    for (let p = int(0, 4); p > 0; p -= 1) {
      // Some payments fall exactly on the latest statement's date: not "since" it.
      const date = latestDate !== undefined && chance(0.3) ? latestDate : day();
      const amount = int(1, 30_000);
      const method = pick(['card', 'cash', 'check', 'portal', 'other']);
      // About one payment in seven is a declined card, which counts in no figure (chosen from the draws
      // already made, so that the rest of the generated data stays as it was).
      payments.push(amount % 7 === 0 ? { date, amount: centsText(amount), method, status: 'declined' } : { date, amount: centsText(amount), method });
    }

    const encounters = [];
    for (let e = int(0, 5); e > 0; e -= 1) {
      const status = pick(['open', 'pre-collections', 'collections'] as const);
      const lines = [];
      for (let l = 1, count = chance(0.1) ? 0 : int(1, 3); l <= count; l += 1) {
        const billed = int(0, 50_000);
        const adjusted = int(0, Math.floor(billed / 3));
        const insurancePaid = int(0, billed - adjusted);
        // Sometimes overpaid: a credit.
        const patientPaid = chance(0.15) ? int(0, billed) : int(0, Math.max(0, billed - adjusted - insurancePaid));
        lines.push({
          line: l,
          code: '99213',
          description: 'Office visit',
          billed: centsText(billed),
          adjusted: centsText(adjusted),
          insurancePaid: centsText(insurancePaid),
          patientPaid: centsText(patientPaid),
        });
      }
      encounterNumber += int(1, 3);
      const serviceDate = latestDate !== undefined && chance(0.1) ? latestDate : day();
      encounters.push({
        number: encounterNumber,
        patient: pick(['P1', 'P2']),
        facility: 'MAIN',
        provider: 'ORTIZ',
        serviceDate,
        status,
        ...(status === 'collections' ? { collectionAgency: pick(AGENCIES).code, sentToCollectionsOn: serviceDate } : {}),
        ...(status === 'pre-collections' && chance(0.5) ? { collectionAgency: pick(AGENCIES).code } : {}),
        lines,
      });
    }

    const hostile = i === 3;
    accounts.push({
      accountNumber: hostile ? HOSTILE_ACCOUNT : accountNumber,
      guarantor: hostile ? HOSTILE_GUARANTOR : { firstName: pick(FIRST_NAMES), lastName: pick(LAST_NAMES) },
      group: pick(GROUPS).name,
      unappliedFunds: centsText(chance(0.2) ? int(1, 20_000) : 0),
      patients: [
        { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
        { id: 'P2', firstName: 'Sofia', lastName: 'Rivera' },
      ],
      encounters,
      statements,
      payments,
    });
  }
  return {
    format: 'pops-dump',
    version: 1,
    groups: GROUPS,
    collectionAgencies: AGENCIES,
    facilities: [{ code: 'MAIN', name: 'Main Clinic' }],
    providers: [{ code: 'ORTIZ', name: 'Ana Ortiz, MD' }],
    accounts,
  };
}

/** One account as `accounts list --json` must show it, plus cents for filtering and sorting. */
export interface ExpectedAccount {
  json: {
    accountNumber: string;
    guarantor: string;
    group: string;
    nonCollectionBalance: string;
    collectionBalance: string;
    totalBalance: string;
    preCollectionsBalance: string;
    amountDue: string;
    unappliedFunds: string;
    collectionAgencies: string[];
    encountersInCollections: number;
  };
  firstName: string;
  lastName: string;
  groupName: string;
  collection: number;
  nonCollection: number;
  total: number;
}

/** Compare strings by Unicode code point (what SQLite's BINARY collation does on UTF-8). */
export function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** SPEC §4, row by row, for every account of the dump. */
export function expectedAccounts(dump: Dump): ExpectedAccount[] {
  const includeNewCharges = new Map<string, boolean>(dump.groups.map((g: any) => [g.name, Boolean(g.includeNewCharges)]));
  const agencyName = new Map<string, string>(dump.collectionAgencies.map((a: any) => [a.code, a.name]));
  return dump.accounts.map((account: any): ExpectedAccount => {
    // line remaining = billed − adjusted − insurancePaid − patientPaid; encounter balance = their sum
    const balanceOf = (encounter: any): number =>
      encounter.lines.reduce(
        (sum: number, l: any) => sum + textCents(l.billed) - textCents(l.adjusted) - textCents(l.insurancePaid) - textCents(l.patientPaid),
        0,
      );
    let collection = 0;
    let preCollections = 0;
    let nonCollection = 0;
    for (const encounter of account.encounters) {
      const balance = balanceOf(encounter);
      if (encounter.status === 'collections') collection += balance;
      if (encounter.status === 'pre-collections') preCollections += balance;
      if (encounter.status === 'open' || encounter.status === 'pre-collections') nonCollection += balance;
    }
    const byDateDescending = [...account.statements].sort((a: any, b: any) => (a.date < b.date ? 1 : -1));
    const S = byDateDescending[0];
    const paymentsSince = account.payments
      .filter((p: any) => p.status !== 'declined' && (S === undefined || p.date > S.date))
      .reduce((sum: number, p: any) => sum + textCents(p.amount), 0);
    const newCharges = account.encounters
      .filter((e: any) => e.status !== 'collections' && (S === undefined || e.serviceDate > S.date))
      .reduce((sum: number, e: any) => sum + balanceOf(e), 0);
    const withNewCharges = includeNewCharges.get(account.group)!;
    let amountDue: number;
    if (S === undefined) amountDue = withNewCharges ? Math.max(0, newCharges) : 0;
    else amountDue = Math.max(0, textCents(S.amountDue) - paymentsSince) + (withNewCharges ? Math.max(0, newCharges) : 0);
    const inCollections = account.encounters.filter((e: any) => e.status === 'collections');
    const agencies = [...new Set<string>(inCollections.map((e: any) => agencyName.get(e.collectionAgency)!))].sort(byCodePoint);
    return {
      json: {
        accountNumber: account.accountNumber,
        guarantor: `${account.guarantor.lastName}, ${account.guarantor.firstName}`,
        group: account.group,
        nonCollectionBalance: centsText(nonCollection),
        collectionBalance: centsText(collection),
        totalBalance: centsText(collection + nonCollection),
        preCollectionsBalance: centsText(preCollections),
        amountDue: centsText(amountDue),
        unappliedFunds: account.unappliedFunds,
        collectionAgencies: agencies,
        encountersInCollections: inCollections.length,
      },
      firstName: account.guarantor.firstName,
      lastName: account.guarantor.lastName,
      groupName: account.group,
      collection,
      nonCollection,
      total: collection + nonCollection,
    };
  });
}

/** The figures `accounts show --json` adds beyond the list (also from §4 directly). */
export function expectedShowExtras(account: any): { lastStatement: string | null; paymentsSinceStatement: string; payableOnline: string; newCharges: string } {
  const byDateDescending = [...account.statements].sort((a: any, b: any) => (a.date < b.date ? 1 : -1));
  const S = byDateDescending[0];
  const P = byDateDescending[1];
  const paymentsSince = account.payments
    .filter((p: any) => p.status !== 'declined' && (S === undefined || p.date > S.date))
    .reduce((sum: number, p: any) => sum + textCents(p.amount), 0);
  let nonCollection = 0;
  let newCharges = 0;
  for (const e of account.encounters) {
    if (e.status === 'collections') continue;
    for (const l of e.lines) {
      const remaining = textCents(l.billed) - textCents(l.adjusted) - textCents(l.insurancePaid) - textCents(l.patientPaid);
      nonCollection += remaining;
      if (S === undefined || e.serviceDate > S.date) newCharges += remaining;
    }
  }
  return {
    lastStatement: P ? P.amountDue : null,
    paymentsSinceStatement: centsText(paymentsSince),
    payableOnline: centsText(Math.max(0, nonCollection)),
    newCharges: centsText(newCharges),
  };
}
