// The one catalogue of POPS Group settings (SPEC §4). Flags, CSV columns,
// prompts, `groups show`, validation, the apply planner and the audit log are
// all driven from this table: adding a setting is one line here (plus a
// migration adding its column).

export type SettingKind = 'bool' | 'phone' | 'email' | 'text' | 'url' | 'landingPage';
export type SettingValue = boolean | string | null;

export interface SettingDef {
  /** The setting's name in dumps, JSON, CSV headers and the audit log. */
  key: GroupSettingKey;
  /** Its column in the `groups` table. */
  column: string;
  /** Its name in words, as prompts and screens show it. */
  label: string;
  kind: SettingKind;
  default: SettingValue;
  nullable: boolean;
  /** One line for --help. */
  help: string;
}

export type GroupSettingKey =
  | 'showCollections'
  | 'footerPhone'
  | 'footerEmail'
  | 'footerText'
  | 'landingPage'
  | 'accountDashboard'
  | 'includeNewCharges'
  | 'creditCard'
  | 'applePay'
  | 'googlePay'
  | 'storePaymentMethods'
  | 'autoPost'
  | 'requireCvv'
  | 'logoUrl';

const def = (
  key: GroupSettingKey,
  column: string,
  label: string,
  kind: SettingKind,
  defaultValue: SettingValue,
  help: string,
): SettingDef => ({ key, column, label, kind, default: defaultValue, nullable: defaultValue === null, help });

export const GROUP_SETTINGS: readonly SettingDef[] = [
  def('showCollections', 'show_collections', 'Show Collections', 'bool', false, 'show the Collection Balance panel on the Account page'),
  def('footerPhone', 'footer_phone', 'Footer number', 'phone', null, 'the number patients are told to call (NANP, extension allowed)'),
  def('footerEmail', 'footer_email', 'Footer email', 'email', null, 'the e-mail address in the page footer'),
  def('footerText', 'footer_text', 'Footer text', 'text', null, 'free text in the page footer, up to 500 characters'),
  def('landingPage', 'landing_page', 'Landing page', 'landingPage', 'home', 'the page patients land on: home or account'),
  def('accountDashboard', 'account_dashboard', 'Account dashboard', 'bool', true, 'whether the Account page is shown at all'),
  def('includeNewCharges', 'include_new_charges', 'Include new charges in Amount Due', 'bool', false, 'count new charges since the last statement in Amount Due'),
  def('creditCard', 'credit_card', 'Credit card payments', 'bool', true, 'accept credit card payments'),
  def('applePay', 'apple_pay', 'Apple Pay', 'bool', false, 'accept Apple Pay'),
  def('googlePay', 'google_pay', 'Google Pay', 'bool', false, 'accept Google Pay'),
  def('storePaymentMethods', 'store_payment_methods', 'Store payment methods', 'bool', false, 'let patients store payment methods'),
  def('autoPost', 'auto_post', 'Auto-post payments', 'bool', false, 'post payments to the oldest balances automatically'),
  def('requireCvv', 'require_cvv', 'Require card CVV', 'bool', true, 'require the card security code'),
  def('logoUrl', 'logo_url', 'Logo URL', 'url', null, 'https address of the logo image'),
];

export const SETTINGS_BY_KEY: ReadonlyMap<string, SettingDef> = new Map(GROUP_SETTINGS.map((s) => [s.key, s]));

export type GroupSettings = { [K in GroupSettingKey]: K extends 'footerPhone' | 'footerEmail' | 'footerText' | 'logoUrl' ? string | null : K extends 'landingPage' ? 'home' | 'account' : boolean };

export interface Group extends GroupSettings {
  id: number;
  name: string;
}

/** A group with only some of its settings loaded (what a plan needs). */
export type PartialGroup = Pick<Group, 'id' | 'name'> & Partial<GroupSettings>;

export function defaultSettings(): GroupSettings {
  return Object.fromEntries(GROUP_SETTINGS.map((s) => [s.key, s.default])) as GroupSettings;
}

/** `--show-collections` for `showCollections`. */
export function flagName(setting: SettingDef): string {
  return `--${setting.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Commander's attribute name for the flag, which is the key itself. */
export function optionKey(setting: SettingDef): string {
  return setting.key;
}

export const GROUP_NAME_MAX = 80;
export const FOOTER_TEXT_MAX = 500;

/** The payment methods that make `[ Pay Now ]` possible. */
export function hasPaymentMethod(settings: Pick<GroupSettings, 'creditCard' | 'applePay' | 'googlePay'>): boolean {
  return settings.creditCard || settings.applePay || settings.googlePay;
}
