// The portal's rules (docs/portal.md): which payment methods a group offers, and
// the diagnosis `accounts show` gives support staff — why the Collection Balance
// panel and Pay Now are or are not on the Account page, the first reason that
// applies in the documented order.
import { describe, expect, it } from 'vitest';
import { applePayWithheld, collectionPanel, diagnosePortal, payNow, paymentMethodsOffered } from '../../src/domain/portal.js';
import { showsCollectionNotice, showsPayNow } from '../../src/domain/account-page.js';
import { defaultSettings, type GroupSettings } from '../../src/domain/group-settings.js';

const settings = (changes: Partial<GroupSettings> = {}): GroupSettings => ({ ...defaultSettings(), ...changes });

/** Every combination of the on/off settings the diagnosis reads. */
function everyGroup(): GroupSettings[] {
  const keys = ['accountDashboard', 'showCollections', 'creditCard', 'applePay', 'googlePay', 'splitPayments'] as const;
  return Array.from({ length: 1 << keys.length }, (_, bits) => settings(Object.fromEntries(keys.map((key, i) => [key, (bits & (1 << i)) !== 0]))));
}

describe('payment methods', () => {
  it('are offered in the order of the Pay page: credit card, Apple Pay, Google Pay', () => {
    expect(paymentMethodsOffered(settings({ creditCard: true, applePay: true, googlePay: true }))).toEqual(['creditCard', 'applePay', 'googlePay']);
    expect(paymentMethodsOffered(settings({ creditCard: false, applePay: false, googlePay: true }))).toEqual(['googlePay']);
    expect(paymentMethodsOffered(settings({ creditCard: false, applePay: false, googlePay: false }))).toEqual([]);
  });

  it('leave Apple Pay out while payments are split, and only then is it withheld', () => {
    const split = settings({ creditCard: true, applePay: true, googlePay: true, splitPayments: true });
    expect(paymentMethodsOffered(split)).toEqual(['creditCard', 'googlePay']);
    expect(applePayWithheld(split)).toBe(true);
    // Split payments hide nothing when Apple Pay is off anyway.
    expect(applePayWithheld(settings({ applePay: false, splitPayments: true }))).toBe(false);
    expect(applePayWithheld(settings({ applePay: true, splitPayments: false }))).toBe(false);
  });

  it('at the defaults: credit card only, nothing withheld', () => {
    expect(paymentMethodsOffered(defaultSettings())).toEqual(['creditCard']);
    expect(applePayWithheld(defaultSettings())).toBe(false);
  });
});

describe('the Collection Balance panel', () => {
  const on = settings({ showCollections: true });

  it('is shown with Show Collections on and a collection balance above zero (one cent is enough)', () => {
    expect(collectionPanel(on, { collectionBalance: 1 })).toEqual({ shown: true, reason: null });
  });

  it('is not shown for a collection balance of zero or below', () => {
    expect(collectionPanel(on, { collectionBalance: 0 })).toEqual({ shown: false, reason: 'no-collection-balance' });
    expect(collectionPanel(on, { collectionBalance: -500 })).toEqual({ shown: false, reason: 'no-collection-balance' });
  });

  it('gives the first reason that applies: Account page off, then Show Collections off, then no collection balance', () => {
    const figures = { collectionBalance: 0 };
    expect(collectionPanel(settings({ accountDashboard: false, showCollections: false }), figures).reason).toBe('account-page-off');
    expect(collectionPanel(settings({ accountDashboard: true, showCollections: false }), figures).reason).toBe('show-collections-off');
    expect(collectionPanel(settings({ accountDashboard: true, showCollections: true }), figures).reason).toBe('no-collection-balance');
  });
});

describe('Pay Now', () => {
  it('is shown with something payable online and a payment method offered', () => {
    expect(payNow(defaultSettings(), { payableOnline: 1 })).toEqual({ shown: true, reason: null });
  });

  it('gives the first reason that applies: Account page off, then nothing payable, then no payment method', () => {
    const noMethod = { creditCard: false, applePay: false, googlePay: false };
    expect(payNow(settings({ accountDashboard: false, ...noMethod }), { payableOnline: 0 }).reason).toBe('account-page-off');
    expect(payNow(settings({ ...noMethod }), { payableOnline: 0 }).reason).toBe('nothing-payable');
    expect(payNow(settings({ ...noMethod }), { payableOnline: 15300 }).reason).toBe('no-payment-method');
  });

  it('has no payment method when Apple Pay is the only one on and payments are split', () => {
    const group = settings({ creditCard: false, applePay: true, googlePay: false, splitPayments: true });
    expect(payNow(group, { payableOnline: 15300 })).toEqual({ shown: false, reason: 'no-payment-method' });
    expect(payNow({ ...group, splitPayments: false }, { payableOnline: 15300 })).toEqual({ shown: true, reason: null });
  });
});

describe('diagnosePortal', () => {
  it('gives the shape `accounts show` prints: landing page, panel, Pay Now, payable online, methods, Apple Pay withheld', () => {
    const group = settings({ showCollections: false, googlePay: true });
    expect(diagnosePortal(group, { collectionBalance: 24000, payableOnline: 15300 })).toEqual({
      landingPage: 'home',
      collectionPanel: { shown: false, reason: 'show-collections-off' },
      payNow: { shown: true, reason: null },
      payableOnline: 15300,
      paymentMethods: ['creditCard', 'googlePay'],
      applePayWithheld: false,
    });
  });

  it("carries the group's landing page as set, even the Account page while it is off", () => {
    const diagnosis = diagnosePortal(settings({ landingPage: 'account', accountDashboard: false }), { collectionBalance: 0, payableOnline: 0 });
    expect(diagnosis.landingPage).toBe('account');
    expect(diagnosis.collectionPanel.reason).toBe('account-page-off');
    expect(diagnosis.payNow.reason).toBe('account-page-off');
  });

  it('with the Account page off, both say so whatever else holds (every group, every kind of figure)', () => {
    for (const group of everyGroup().filter((g) => !g.accountDashboard)) {
      for (const figures of [
        { collectionBalance: 0, payableOnline: 0 },
        { collectionBalance: 100, payableOnline: 100 },
      ]) {
        const diagnosis = diagnosePortal(group, figures);
        expect(diagnosis.collectionPanel).toEqual({ shown: false, reason: 'account-page-off' });
        expect(diagnosis.payNow).toEqual({ shown: false, reason: 'account-page-off' });
      }
    }
  });

  it('agrees with what the Account page shows, for every combination of settings and figures', () => {
    for (const group of everyGroup()) {
      for (const collectionBalance of [-100, 0, 1]) {
        for (const payableOnline of [0, 1]) {
          const figures = { collectionBalance, payableOnline };
          const diagnosis = diagnosePortal(group, figures);
          const where = JSON.stringify({ group, figures });
          // The page's own rules (domain/account-page.ts), which the renderer follows.
          expect(diagnosis.collectionPanel.shown, where).toBe(showsCollectionNotice('account', group, figures));
          expect(diagnosis.payNow.shown, where).toBe(group.accountDashboard && showsPayNow(group, figures));
          // A reason exactly when not shown.
          expect(diagnosis.collectionPanel.reason === null, where).toBe(diagnosis.collectionPanel.shown);
          expect(diagnosis.payNow.reason === null, where).toBe(diagnosis.payNow.shown);
          expect(diagnosis.paymentMethods.includes('applePay'), where).toBe(group.applePay && !diagnosis.applePayWithheld);
        }
      }
    }
  });
});
