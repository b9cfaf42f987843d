// One test per row of the SPEC §4 balance-rules table (plus the edge each row names).
import { describe, expect, it } from 'vitest';
import {
  accountFigures,
  amountDue,
  encounterBalance,
  lineRemaining,
  newCharges,
  paymentsSinceStatement,
  payableOnline,
  type AccountForBalance,
  type EncounterForBalance,
  type EncounterStatus,
} from '../../src/domain/balances.js';

function lineOf(billed: number, adjusted = 0, insurancePaid = 0, patientPaid = 0) {
  return { billed, adjusted, insurancePaid, patientPaid };
}

/** An encounter whose balance is `cents` (one line). */
function encounterOf(status: EncounterStatus, cents: number, serviceDate = '2026-05-01'): EncounterForBalance {
  return { status, serviceDate, lines: [cents >= 0 ? lineOf(cents) : lineOf(0, 0, 0, -cents)] };
}

function accountOf(fields: Partial<AccountForBalance>): AccountForBalance {
  return { encounters: [], statements: [], payments: [], unappliedFunds: 0, ...fields };
}

describe('SPEC §4 balance rules', () => {
  it('line remaining = billed − adjusted − insurancePaid − patientPaid', () => {
    expect(lineRemaining(lineOf(18000, 4000, 10000, 1500))).toBe(2500);
  });

  it('line remaining may be negative: a credit', () => {
    expect(lineRemaining(lineOf(10000, 0, 8000, 3000))).toBe(-1000);
  });

  it("encounter balance = sum of its lines' remaining (credits included)", () => {
    expect(encounterBalance({ lines: [lineOf(10000, 2000), lineOf(5000, 0, 0, 6000), lineOf(300)] })).toBe(8000 - 1000 + 300);
    expect(encounterBalance({ lines: [] })).toBe(0);
  });

  it('collection balance = sum of balances of encounters in collections', () => {
    const figures = accountFigures(
      accountOf({
        encounters: [encounterOf('collections', 24000), encounterOf('collections', -500), encounterOf('open', 100), encounterOf('pre-collections', 200)],
      }),
      false,
    );
    expect(figures.collectionBalance).toBe(23500);
  });

  it('pre-collections balance = sum of balances of encounters in pre-collections', () => {
    const figures = accountFigures(
      accountOf({
        encounters: [encounterOf('pre-collections', 8000), encounterOf('pre-collections', 150), encounterOf('open', 100), encounterOf('collections', 999)],
      }),
      false,
    );
    expect(figures.preCollectionsBalance).toBe(8150);
  });

  it('non-collection balance = sum of balances of encounters in open or pre-collections', () => {
    const figures = accountFigures(
      accountOf({
        encounters: [encounterOf('open', 3000), encounterOf('pre-collections', 8000), encounterOf('open', -2500), encounterOf('collections', 24000)],
      }),
      false,
    );
    expect(figures.nonCollectionBalance).toBe(8500);
  });

  it('total balance = collection + non-collection', () => {
    const figures = accountFigures(
      accountOf({ encounters: [encounterOf('open', 3000), encounterOf('pre-collections', 8000), encounterOf('collections', 24000)] }),
      false,
    );
    expect(figures.totalBalance).toBe(35000);
    expect(figures.totalBalance).toBe(figures.collectionBalance + figures.nonCollectionBalance);
  });

  it('payments since statement = sum of payments dated after S; a payment on the statement date is not "since"', () => {
    const S = { date: '2026-10-01', amountDue: 15000 };
    const payments = [
      { date: '2026-09-30', amount: 1000 },
      { date: '2026-10-01', amount: 2000 },
      { date: '2026-10-02', amount: 4000 },
      { date: '2026-11-15', amount: 500 },
    ];
    expect(paymentsSinceStatement(payments, S)).toBe(4500);
  });

  it('a declined payment counts in no figure: not in payments since statement, so not against the amount due', () => {
    const S = { date: '2026-10-01', amountDue: 15000 };
    const payments = [
      { date: '2026-10-02', amount: 4000, status: 'paid' as const },
      { date: '2026-10-03', amount: 9000, status: 'declined' as const },
      { date: '2026-10-04', amount: 500 },
    ];
    expect(paymentsSinceStatement(payments, S)).toBe(4500);
    expect(paymentsSinceStatement(payments, undefined)).toBe(4500);
    const figures = accountFigures(accountOf({ statements: [S], payments, encounters: [encounterOf('open', 20000, '2026-09-01')] }), false);
    expect(figures.amountDue).toBe(10500);
    expect(figures.paymentsSinceStatement).toBe(4500);
    // Balances come from the lines, never from payments: a declined card changes none of them.
    expect(figures.nonCollectionBalance).toBe(20000);
    expect(figures.payableOnline).toBe(20000);
    const onlyDeclined = accountFigures(accountOf({ statements: [S], payments: [{ date: '2026-10-09', amount: 15000, status: 'declined' }] }), false);
    expect(onlyDeclined.amountDue).toBe(15000);
  });

  it('payments since statement = all payments when there is no statement', () => {
    expect(
      paymentsSinceStatement(
        [
          { date: '2026-01-01', amount: 1000 },
          { date: '2026-02-01', amount: 250 },
        ],
        undefined,
      ),
    ).toBe(1250);
  });

  it('payments since statement are measured from the latest statement S (the greatest date), whatever the input order', () => {
    const figures = accountFigures(
      accountOf({
        statements: [
          { date: '2026-10-01', amountDue: 100 },
          { date: '2026-08-01', amountDue: 100 },
        ],
        payments: [
          { date: '2026-09-01', amount: 700 },
          { date: '2026-10-05', amount: 300 },
        ],
      }),
      false,
    );
    expect(figures.paymentsSinceStatement).toBe(300);
  });

  it('new charges = balances of non-collection encounters served after S', () => {
    const S = { date: '2026-10-01', amountDue: 0 };
    const encounters = [
      encounterOf('open', 1000, '2026-09-30'),
      encounterOf('open', 2000, '2026-10-01'), // on S's date: not new
      encounterOf('open', 3000, '2026-10-02'),
      encounterOf('pre-collections', 400, '2026-10-03'),
      encounterOf('open', -50, '2026-10-04'),
      encounterOf('collections', 9999, '2026-10-05'),
    ];
    expect(newCharges(encounters, S)).toBe(3000 + 400 - 50);
  });

  it('new charges = all non-collection encounters when there is no statement', () => {
    const encounters = [encounterOf('open', 1000, '2020-01-01'), encounterOf('pre-collections', 200), encounterOf('collections', 9999)];
    expect(newCharges(encounters, undefined)).toBe(1200);
  });

  it('amount due = max(0, S.amountDue − payments since statement) without includeNewCharges', () => {
    expect(amountDue({ latestAmountDue: 15000, paymentsSinceStatement: 6500, newCharges: 4300, includeNewCharges: false })).toBe(8500);
  });

  it('amount due adds max(0, new charges) with includeNewCharges', () => {
    expect(amountDue({ latestAmountDue: 15000, paymentsSinceStatement: 6500, newCharges: 4300, includeNewCharges: true })).toBe(12800);
    expect(amountDue({ latestAmountDue: 15000, paymentsSinceStatement: 6500, newCharges: -4300, includeNewCharges: true })).toBe(8500);
  });

  it('amount due with no S = max(0, new charges) with includeNewCharges, else 0', () => {
    expect(amountDue({ latestAmountDue: null, paymentsSinceStatement: 500, newCharges: 4300, includeNewCharges: true })).toBe(4300);
    expect(amountDue({ latestAmountDue: null, paymentsSinceStatement: 0, newCharges: -4300, includeNewCharges: true })).toBe(0);
    expect(amountDue({ latestAmountDue: null, paymentsSinceStatement: 0, newCharges: 4300, includeNewCharges: false })).toBe(0);
  });

  it('amount due is never negative (payments beyond the statement do not eat into new charges)', () => {
    expect(amountDue({ latestAmountDue: 1000, paymentsSinceStatement: 5000, newCharges: 0, includeNewCharges: false })).toBe(0);
    expect(amountDue({ latestAmountDue: 1000, paymentsSinceStatement: 5000, newCharges: 700, includeNewCharges: true })).toBe(700);
  });

  it("last statement = P.amountDue (the previous statement's)", () => {
    const figures = accountFigures(
      accountOf({
        statements: [
          { date: '2026-09-01', amountDue: 12000 },
          { date: '2026-10-01', amountDue: 15000 },
          { date: '2026-08-01', amountDue: 9000 },
        ],
      }),
      false,
    );
    expect(figures.lastStatement).toBe(12000);
  });

  it('last statement is none (null) with fewer than two statements', () => {
    expect(accountFigures(accountOf({}), false).lastStatement).toBeNull();
    expect(accountFigures(accountOf({ statements: [{ date: '2026-10-01', amountDue: 15000 }] }), false).lastStatement).toBeNull();
  });

  it('current balance (portal) = the non-collection balance', () => {
    const figures = accountFigures(
      accountOf({ encounters: [encounterOf('open', 3000), encounterOf('pre-collections', 800), encounterOf('collections', 24000)] }),
      false,
    );
    expect(figures.currentBalance).toBe(3800);
  });

  it('payable online = max(0, non-collection balance), never negative', () => {
    expect(payableOnline(3800)).toBe(3800);
    expect(payableOnline(-2500)).toBe(0);
    expect(accountFigures(accountOf({ encounters: [encounterOf('open', -2500)] }), false).payableOnline).toBe(0);
  });

  it('payable online: a collection balance is never payable online', () => {
    const figures = accountFigures(accountOf({ encounters: [encounterOf('collections', 24000)] }), true);
    expect(figures.collectionBalance).toBe(24000);
    expect(figures.payableOnline).toBe(0);
  });

  it('unapplied funds pass through as stored', () => {
    expect(accountFigures(accountOf({ unappliedFunds: 1234 }), false).unappliedFunds).toBe(1234);
  });
});
