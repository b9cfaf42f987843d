// The one catalogue of POPS Group settings (docs/formats.md). Flags, CSV
// columns, prompts, `groups show`, validation, the apply planner, export and
// the audit log are all driven from this table, and what a setting does by
// its kind (parse, display, CSV, prompt, storage) is in domain/setting-kinds.ts.
// Adding a setting of an existing kind is one entry here (plus a migration
// adding its column).

export type SettingKind = 'bool' | 'phone' | 'email' | 'text' | 'url' | 'choice' | 'color';
export type SettingValue = boolean | string | null;

/** The value type of each kind (a choice setting narrows it to its words). */
interface KindValues {
  bool: boolean;
  phone: string;
  email: string;
  text: string;
  url: string;
  choice: string;
  color: string;
}

export interface SettingDef<K extends string = GroupSettingKey, Kind extends SettingKind = SettingKind> {
  /** The setting's name in dumps, JSON, CSV headers and the audit log. */
  key: K;
  /** Its column in the `groups` table. */
  column: string;
  /** Its name in words, as prompts and screens show it. */
  label: string;
  kind: Kind;
  default: SettingValue;
  nullable: boolean;
  /** The words a choice setting takes, in the order prompts offer them. */
  choices?: readonly string[];
  /** One line for --help. */
  help: string;
}

function setting<const K extends string, const Kind extends SettingKind, const D extends KindValues[Kind] | null, const C extends readonly string[] = never>(
  key: K,
  column: string,
  label: string,
  kind: Kind,
  defaultValue: D,
  help: string,
  choices?: C,
): SettingDef<K, Kind> & { default: D; choices: C } {
  return { key, column, label, kind, default: defaultValue, nullable: defaultValue === null, help, choices: choices as C };
}

const CATALOGUE = [
  setting('showCollections', 'show_collections', 'Show Collections', 'bool', false, 'show the Collection Balance panel on the Account page'),
  setting('footerPhone', 'footer_phone', 'Footer number', 'phone', null, 'the number patients are told to call (NANP, extension allowed)'),
  setting('footerEmail', 'footer_email', 'Footer email', 'email', null, 'the e-mail address in the page footer'),
  setting('footerText', 'footer_text', 'Footer text', 'text', null, 'free text in the page footer, up to 500 characters'),
  setting('landingPage', 'landing_page', 'Landing page', 'choice', 'home', 'the page patients land on after sign-in', ['home', 'account', 'pay']),
  setting('accountDashboard', 'account_dashboard', 'Account dashboard', 'bool', true, 'whether the Account page is shown at all'),
  setting(
    'includeNewCharges',
    'include_new_charges',
    'Include new charges in Amount Due',
    'bool',
    false,
    'count new charges since the last statement in Amount Due',
  ),
  setting('creditCard', 'credit_card', 'Credit card payments', 'bool', true, 'accept credit card payments'),
  setting('applePay', 'apple_pay', 'Apple Pay', 'bool', false, 'accept Apple Pay'),
  setting('googlePay', 'google_pay', 'Google Pay', 'bool', false, 'accept Google Pay'),
  setting('storePaymentMethods', 'store_payment_methods', 'Store payment methods', 'bool', false, 'let patients store payment methods'),
  setting('autoPost', 'auto_post', 'Auto-post payments', 'bool', false, 'post payments to the oldest balances automatically'),
  setting('requireCvv', 'require_cvv', 'Require card CVV', 'bool', true, 'require the card security code'),
  setting('logoUrl', 'logo_url', 'Logo URL', 'url', null, 'https address of the logo image'),
  // v2 (docs/portal.md): what the other pages of the portal show, and its colors.
  setting('showCurrentBalance', 'show_current_balance', 'Show current balance', 'bool', true, 'show Current Balance on Home and Account, and offer it on Pay'),
  setting('showEscrow', 'show_escrow', 'Show unapplied funds (escrow)', 'bool', true, 'show Unapplied Funds on Home and Account'),
  setting('logoutFunction', 'logout_function', 'Logout function', 'choice', 'logout', 'the last entry of the navigation: Close, Log Out, or none', [
    'close',
    'logout',
    'none',
  ]),
  setting('emailReceipts', 'email_receipts', 'Email receipts', 'bool', false, 'e-mail a receipt to the address the patient gives'),
  setting('splitPayments', 'split_payments', 'Split payments', 'bool', false, 'split payments across facilities or providers (Apple Pay is then not offered)'),
  setting('faviconUrl', 'favicon_url', 'Favicon URL', 'url', null, 'https address of the favicon'),
  setting('homeAssetUrl', 'home_asset_url', 'Home image URL', 'url', null, 'https address of the image on the Home page'),
  setting('themeBackground', 'theme_background', 'Theme background color', 'color', null, 'page background color, #rrggbb'),
  setting('themeSurface', 'theme_surface', 'Theme surface color', 'color', null, 'panel background color, #rrggbb'),
  setting('themePrimary', 'theme_primary', 'Theme primary color', 'color', null, 'borders and titles, #rrggbb'),
  setting('themeSecondary', 'theme_secondary', 'Theme secondary color', 'color', null, 'secondary color, #rrggbb'),
  setting('themeAccent', 'theme_accent', 'Theme accent color', 'color', null, 'the Pay Now button, #rrggbb'),
  setting('themeInfo', 'theme_info', 'Theme info color', 'color', null, 'information color, #rrggbb'),
  setting('themeSuccess', 'theme_success', 'Theme success color', 'color', null, 'success color, #rrggbb'),
  setting('themeError', 'theme_error', 'Theme error color', 'color', null, 'error color, #rrggbb'),
  setting('themeWarning', 'theme_warning', 'Theme warning color', 'color', null, 'the collection notice, #rrggbb'),
  setting('themeDark', 'theme_dark', 'Dark theme', 'bool', false, 'light text on dark colors'),
] as const;

type Catalogue = (typeof CATALOGUE)[number];
export type GroupSettingKey = Catalogue['key'];

/** A setting's value type: its kind's (or its choices'), plus null when it may be unset. */
type ValueOf<S extends Catalogue> = (S['kind'] extends 'choice' ? S['choices'][number] : KindValues[S['kind']]) | (S['default'] extends null ? null : never);

/** Every setting of a group, typed from the catalogue. */
export type GroupSettings = { [S in Catalogue as S['key']]: ValueOf<S> };

export const GROUP_SETTINGS: readonly SettingDef<GroupSettingKey>[] = CATALOGUE;

export const SETTINGS_BY_KEY: ReadonlyMap<string, SettingDef<GroupSettingKey>> = new Map(GROUP_SETTINGS.map((s) => [s.key, s]));

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

export const GROUP_NAME_MAX = 80;
export const FOOTER_TEXT_MAX = 500;
