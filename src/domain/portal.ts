// The patient portal's pages and the rules that decide what they offer
// (docs/portal.md): which page a view is, which payment methods a group
// offers, and the diagnosis `accounts show` gives support staff (why the
// Collection Balance panel or Pay Now is or is not shown). Pure: no I/O.
import type { Cents } from './money.js';
import type { GroupSettings } from './group-settings.js';

/** The portal's pages that pops mirrors, in navigation order. */
export const PAGE_NAMES = ['home', 'account', 'pay', 'receipts', 'statements'] as const;
export type PageName = (typeof PAGE_NAMES)[number];

/** What `preview` renders: one of the pages, or the QuickPay screen. */
export type PortalView = PageName | 'quickpay';
/** Every view, in the order snapshots list them (`--pages all`). */
export const VIEW_NAMES: readonly PortalView[] = [...PAGE_NAMES, 'quickpay'];

/** The methods a patient can pay with, in the order the Pay page offers them. */
export type PaymentMethodKey = 'creditCard' | 'applePay' | 'googlePay';

type MethodSettings = Pick<GroupSettings, 'creditCard' | 'applePay' | 'googlePay' | 'splitPayments'>;

/** Apple Pay is switched on but not offered, because payments are split across facilities or providers. */
export function applePayWithheld(group: MethodSettings): boolean {
  return group.applePay && group.splitPayments;
}

/** The payment methods the Pay page offers: Apple Pay only when payments are not split. */
export function paymentMethodsOffered(group: MethodSettings): PaymentMethodKey[] {
  const methods: PaymentMethodKey[] = [];
  if (group.creditCard) methods.push('creditCard');
  if (group.applePay && !group.splitPayments) methods.push('applePay');
  if (group.googlePay) methods.push('googlePay');
  return methods;
}

export type CollectionPanelReason = 'account-page-off' | 'show-collections-off' | 'no-collection-balance';
export type PayNowReason = 'account-page-off' | 'nothing-payable' | 'no-payment-method';

/** Why something is or is not on the page: `reason` is null when it is shown. */
export interface Shown<R> {
  shown: boolean;
  reason: R | null;
}

export interface PortalDiagnosis {
  landingPage: GroupSettings['landingPage'];
  collectionPanel: Shown<CollectionPanelReason>;
  payNow: Shown<PayNowReason>;
  payableOnline: Cents;
  paymentMethods: PaymentMethodKey[];
  applePayWithheld: boolean;
}

type DiagnosisSettings = MethodSettings & Pick<GroupSettings, 'landingPage' | 'accountDashboard' | 'showCollections'>;

/** The first reason that applies, in the order docs/portal.md lists them; null when none does. */
function firstReason<R>(checks: readonly [boolean, R][]): Shown<R> {
  for (const [applies, reason] of checks) if (applies) return { shown: false, reason };
  return { shown: true, reason: null };
}

/** Why the Collection Balance panel is or is not on the Account page. */
export function collectionPanel(
  group: Pick<GroupSettings, 'accountDashboard' | 'showCollections'>,
  figures: { collectionBalance: Cents },
): Shown<CollectionPanelReason> {
  return firstReason<CollectionPanelReason>([
    [!group.accountDashboard, 'account-page-off'],
    [!group.showCollections, 'show-collections-off'],
    [figures.collectionBalance <= 0, 'no-collection-balance'],
  ]);
}

/** Why `[ Pay Now ]` is or is not on the Account page. */
export function payNow(group: Pick<DiagnosisSettings, 'accountDashboard'> & MethodSettings, figures: { payableOnline: Cents }): Shown<PayNowReason> {
  return firstReason<PayNowReason>([
    [!group.accountDashboard, 'account-page-off'],
    [figures.payableOnline <= 0, 'nothing-payable'],
    [paymentMethodsOffered(group).length === 0, 'no-payment-method'],
  ]);
}

/** What support staff need to explain the portal to a caller (`accounts show`, "Portal"). */
export function diagnosePortal(group: DiagnosisSettings, figures: { collectionBalance: Cents; payableOnline: Cents }): PortalDiagnosis {
  return {
    landingPage: group.landingPage,
    collectionPanel: collectionPanel(group, figures),
    payNow: payNow(group, figures),
    payableOnline: figures.payableOnline,
    paymentMethods: paymentMethodsOffered(group),
    applePayWithheld: applePayWithheld(group),
  };
}
