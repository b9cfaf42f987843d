// The page's plain values (SPEC §8) from one account and the group it is seen through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildAccountPage,
  compareText,
  showsCollectionPanel,
  showsPayNow,
  type PageSourceAccount,
  type PageSourceEncounter,
} from '../../src/domain/account-page.js';
import { defaultSettings, type Group } from '../../src/domain/group-settings.js';

const group = (settings: Partial<Group> = {}): Group => ({ ...defaultSettings(), id: 1, name: 'Lakeside Pediatrics', showCollections: true, ...settings });

let nextNumber = 1000;
function encounter(fields: Partial<PageSourceEncounter> & { balance?: number }): PageSourceEncounter {
  const { balance = 1000, ...rest } = fields;
  nextNumber += 1;
  return {
    number: nextNumber,
    patient: { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
    facility: { code: 'MAIN', name: 'Main Clinic' },
    provider: { code: 'ORTIZ', name: 'Ana Ortiz, MD' },
    serviceDate: '2026-10-20',
    status: 'open',
    agency: null,
    lines: [{ line: 1, billed: balance, adjusted: 0, insurancePaid: 0, patientPaid: 0 }],
    ...rest,
  };
}

const account = (fields: Partial<PageSourceAccount> = {}): PageSourceAccount => ({
  accountNumber: '10004',
  guarantor: { firstName: 'Maria', lastName: 'Rivera' },
  unappliedFunds: 0,
  encounters: [],
  statements: [],
  payments: [],
  ...fields,
});

const serviceIds = (page: ReturnType<typeof buildAccountPage>) =>
  page.visits.flatMap((f) => f.providers.flatMap((p) => p.patients.flatMap((pt) => pt.lines.map((l) => l.serviceId))));

describe('visits since last statement', () => {
  it('are the non-collection encounters served after the latest statement, whatever their balance', () => {
    const after = encounter({ serviceDate: '2026-10-02', balance: 0 });
    const before = encounter({ serviceDate: '2026-09-15' });
    const pre = encounter({ serviceDate: '2026-10-03', status: 'pre-collections' });
    const inCollections = encounter({ serviceDate: '2026-10-04', status: 'collections', agency: { code: 'S', name: 'Summit' } });
    const page = buildAccountPage(
      account({
        encounters: [after, before, pre, inCollections],
        statements: [
          { date: '2026-09-01', dueDate: '2026-09-20', amountDue: 0 },
          { date: '2026-10-01', dueDate: '2026-10-20', amountDue: 0 },
        ],
      }),
      group(),
    );
    expect(serviceIds(page)).toEqual([`${after.number}-1`, `${pre.number}-1`]);
  });

  it('without a statement are the non-collection encounters with a nonzero balance', () => {
    const owing = encounter({ balance: 500 });
    const credit = encounter({ balance: -500 });
    const settled = encounter({ balance: 0 });
    const page = buildAccountPage(account({ encounters: [owing, credit, settled] }), group());
    expect(serviceIds(page)).toEqual([`${owing.number}-1`, `${credit.number}-1`]);
  });

  it('are grouped facility → provider → patient, each ordered by name', () => {
    const e = (facility: string, provider: string, patient: [string, string]) =>
      encounter({
        facility: { code: facility, name: facility },
        provider: { code: provider, name: provider },
        patient: { id: patient[0], firstName: patient[0], lastName: patient[1] },
      });
    const page = buildAccountPage(
      account({
        encounters: [e('Zeta', 'B', ['Ann', 'Young']), e('Alpha', 'B', ['Ann', 'Young']), e('Alpha', 'A', ['Bob', 'Young']), e('Alpha', 'A', ['Cy', 'Adams'])],
      }),
      group(),
    );
    expect(page.visits.map((f) => f.facilityName)).toEqual(['Alpha', 'Zeta']);
    expect(page.visits[0].providers.map((p) => p.providerName)).toEqual(['A', 'B']);
    expect(page.visits[0].providers[0].patients.map((p) => p.patientName)).toEqual(['Cy Adams', 'Bob Young']);
  });

  it('are grouped as a map per facility, provider and patient would group them, whatever the mix of names and ties', () => {
    // Facilities and providers that share a name (their codes differ), patients that share a name (their ids differ).
    const facilities = [
      { code: 'F1', name: 'North Clinic' },
      { code: 'F2', name: 'North Clinic' },
      { code: 'F0', name: 'Alpha Care' },
    ];
    const providers = [
      { code: 'D2', name: 'Ana Ortiz, MD' },
      { code: 'D1', name: 'Ana Ortiz, MD' },
      { code: 'D3', name: 'Zoe Kim, DO' },
    ];
    const patients = [
      { id: 'P2', firstName: 'Leo', lastName: 'Rivera' },
      { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
      { id: 'P3', firstName: '', lastName: 'Ng' },
      { id: 'P4', firstName: 'Ann', lastName: 'Rivera' },
    ];
    const visit = fc.record({
      facility: fc.constantFrom(...facilities),
      provider: fc.constantFrom(...providers),
      patient: fc.constantFrom(...patients),
      day: fc.integer({ min: 10, max: 14 }),
      lines: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(visit, { maxLength: 24 }), (visits) => {
        const encounters = visits.map((v, i) =>
          encounter({
            facility: v.facility,
            provider: v.provider,
            patient: v.patient,
            serviceDate: `2026-10-${v.day}`,
            lines: Array.from({ length: v.lines }, (_, k) => ({ line: v.lines - k, billed: 100 + i, adjusted: 0, insurancePaid: 0, patientPaid: 0 })),
          }),
        );
        const page = buildAccountPage(account({ encounters }), group());
        const seen = page.visits.map((f) => ({
          facility: f.facilityName,
          providers: f.providers.map((p) => ({
            provider: p.providerName,
            patients: p.patients.map((pt) => [pt.patientName, pt.lines.map((l) => l.serviceId)]),
          })),
        }));
        expect(seen).toEqual(referenceVisits(encounters));
      }),
    );
  });
});

/** The visits grouped the plain way, to hold the page's grouping to: a map per level, then each level sorted. */
function referenceVisits(encounters: PageSourceEncounter[]) {
  const byNameThenCode = (a: { code: string; name: string }, b: { code: string; name: string }) => compareText(a.name, b.name) || compareText(a.code, b.code);
  const facilities = new Map<
    string,
    {
      facility: PageSourceEncounter['facility'];
      providers: Map<string, { provider: PageSourceEncounter['provider']; patients: Map<string, PageSourceEncounter[]> }>;
    }
  >();
  for (const e of encounters) {
    if (!facilities.has(e.facility.code)) facilities.set(e.facility.code, { facility: e.facility, providers: new Map() });
    const providers = facilities.get(e.facility.code)!.providers;
    if (!providers.has(e.provider.code)) providers.set(e.provider.code, { provider: e.provider, patients: new Map() });
    const patients = providers.get(e.provider.code)!.patients;
    patients.set(e.patient.id, [...(patients.get(e.patient.id) ?? []), e]);
  }
  const name = (p: PageSourceEncounter['patient']) => [p.firstName, p.lastName].filter((part) => part !== '').join(' ');
  return [...facilities.values()]
    .sort((a, b) => byNameThenCode(a.facility, b.facility))
    .map(({ facility, providers }) => ({
      facility: facility.name,
      providers: [...providers.values()]
        .sort((a, b) => byNameThenCode(a.provider, b.provider))
        .map(({ provider, patients }) => ({
          provider: provider.name,
          patients: [...patients.values()]
            .sort(
              (a, b) =>
                compareText(a[0].patient.lastName, b[0].patient.lastName) ||
                compareText(a[0].patient.firstName, b[0].patient.firstName) ||
                compareText(a[0].patient.id, b[0].patient.id),
            )
            .map((seen) => [
              name(seen[0].patient),
              [...seen]
                .sort((a, b) => compareText(a.serviceDate, b.serviceDate) || a.number - b.number)
                .flatMap((e) => [...e.lines].sort((a, b) => a.line - b.line).map((l) => `${e.number}-${l.line}`)),
            ]),
        })),
    }));
}

describe('figures through the rendering group', () => {
  it('amount due counts new charges only when that group includes them', () => {
    const a = account({
      encounters: [encounter({ serviceDate: '2026-10-05', balance: 3000 })],
      statements: [{ date: '2026-10-01', dueDate: '2026-10-20', amountDue: 10000 }],
    });
    expect(buildAccountPage(a, group({ includeNewCharges: false })).figures.amountDue).toBe(10000);
    expect(buildAccountPage(a, group({ includeNewCharges: true })).figures.amountDue).toBe(13000);
  });

  it('collection agencies are distinct, from collections encounters only, in code-point order', () => {
    const inColl = (name: string) => encounter({ status: 'collections', agency: { code: name, name } });
    const page = buildAccountPage(
      account({
        encounters: [inColl('Summit'), inColl('Midwest'), inColl('Summit'), encounter({ status: 'pre-collections', agency: { code: 'X', name: 'Xavier' } })],
      }),
      group(),
    );
    expect(page.collectionAgencies).toEqual(['Midwest', 'Summit']);
  });

  it('statements come newest due date first', () => {
    const page = buildAccountPage(
      account({
        statements: [
          { date: '2026-08-01', dueDate: '2026-08-20', amountDue: 1 },
          { date: '2026-10-01', dueDate: '2026-10-20', amountDue: 3 },
          { date: '2026-09-01', dueDate: '2026-09-20', amountDue: 2 },
        ],
      }),
      group(),
    );
    expect(page.statements.map((s) => s.amountDue)).toEqual([3, 2, 1]);
  });

  // Short lists are sorted by insertion, long ones by Array.prototype.sort (docs/performance.md, "Snapshots"):
  // both give a stable sort's order, ties in input order, on either side of the cut at 16 items.
  it('statements and receipts of any length come in a stable sort order, ties in input order', () => {
    const day = fc.integer({ min: 1, max: 4 }).map((d) => `2026-09-0${d}`);
    const statement = fc.record({ date: day, dueDate: day, amountDue: fc.integer({ min: 0, max: 10 ** 6 }) });
    const payment = fc.record({ date: day, amount: fc.integer({ min: 1, max: 10 ** 6 }), method: fc.constant('card'), status: fc.constant('paid' as const) });
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 40 }), fc.array(payment, { maxLength: 40 }), (statements, payments) => {
        const page = buildAccountPage(account({ statements, payments }), group());
        const byDue = [...statements].sort((a, b) => compareText(b.dueDate, a.dueDate) || compareText(b.date, a.date));
        expect(page.statements).toEqual(byDue);
        expect(page.receipts.map((r) => r.amount)).toEqual([...payments].sort((a, b) => compareText(b.date, a.date)).map((p) => p.amount));
      }),
      { numRuns: 300 },
    );
  });
});

describe('panel rules', () => {
  it('Collection Balance: Show Collections on and a collection balance above zero', () => {
    expect(showsCollectionPanel({ showCollections: true }, { collectionBalance: 1 })).toBe(true);
    expect(showsCollectionPanel({ showCollections: false }, { collectionBalance: 1 })).toBe(false);
    expect(showsCollectionPanel({ showCollections: true }, { collectionBalance: 0 })).toBe(false);
    expect(showsCollectionPanel({ showCollections: true }, { collectionBalance: -1 })).toBe(false);
  });

  it('Pay Now: payable online above zero and at least one payment method', () => {
    const none = { creditCard: false, applePay: false, googlePay: false, splitPayments: false };
    expect(showsPayNow({ ...none, googlePay: true }, { payableOnline: 1 })).toBe(true);
    expect(showsPayNow(none, { payableOnline: 1 })).toBe(false);
    expect(showsPayNow({ ...none, creditCard: true }, { payableOnline: 0 })).toBe(false);
  });
});

describe('compareText', () => {
  it('orders by code point, astral characters after the rest of the BMP', () => {
    expect(['b', '😀', '\uffe0', 'a'].sort(compareText)).toEqual(['a', 'b', '\uffe0', '😀']);
  });
});
