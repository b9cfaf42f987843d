// Small dumps built in tests, so each test states the data it depends on.

export interface LineInput {
  billed: string;
  adjusted?: string;
  insurancePaid?: string;
  patientPaid?: string;
}

export function line(n: number, amounts: LineInput): Record<string, unknown> {
  return {
    line: n,
    code: '99213',
    description: 'Office visit',
    billed: amounts.billed,
    adjusted: amounts.adjusted ?? '0.00',
    insurancePaid: amounts.insurancePaid ?? '0.00',
    patientPaid: amounts.patientPaid ?? '0.00',
  };
}

/** A minimal valid dump with one group and the reference data accounts need. */
export function baseDump(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    format: 'pops-dump',
    version: 1,
    groups: [{ name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '(312) 555-0142' }],
    collectionAgencies: [{ code: 'SUMMIT', name: 'Summit Recovery Services' }],
    facilities: [{ code: 'MAIN', name: 'Lakeside Main Clinic' }],
    providers: [{ code: 'ORTIZ', name: 'Ana Ortiz, MD' }],
    accounts: [],
    ...overrides,
  };
}

export function account(accountNumber: string, fields: Record<string, unknown> = {}): Record<string, any> {
  return {
    accountNumber,
    guarantor: { firstName: 'Maria', lastName: 'Rivera' },
    group: 'Lakeside Pediatrics',
    unappliedFunds: '0.00',
    patients: [{ id: 'P1', firstName: 'Leo', lastName: 'Rivera' }],
    encounters: [],
    statements: [],
    payments: [],
    ...fields,
  };
}

let nextEncounter = 50_000;
export function encounter(fields: Record<string, unknown> & { lines: unknown[] }): Record<string, any> {
  nextEncounter += 1;
  return {
    number: nextEncounter,
    patient: 'P1',
    facility: 'MAIN',
    provider: 'ORTIZ',
    serviceDate: '2026-09-14',
    status: 'open',
    ...fields,
  };
}

/**
 * The v2 settings (docs/portal.md) at their defaults, as JSON shows them, written
 * out here (not derived from the catalogue) so a changed default fails a test.
 */
export const V2_DEFAULTS_JSON = {
  showCurrentBalance: true,
  showEscrow: true,
  logoutFunction: 'logout',
  emailReceipts: false,
  splitPayments: false,
  faviconUrl: null,
  homeAssetUrl: null,
  themeBackground: null,
  themeSurface: null,
  themePrimary: null,
  themeSecondary: null,
  themeAccent: null,
  themeInfo: null,
  themeSuccess: null,
  themeError: null,
  themeWarning: null,
  themeDark: false,
} as const;

/** The CSV header columns of the v2 settings, after the v1 ones. */
export const V2_CSV_COLUMNS =
  'showCurrentBalance,showEscrow,logoutFunction,emailReceipts,splitPayments,faviconUrl,homeAssetUrl,themeBackground,themeSurface,themePrimary,themeSecondary,themeAccent,themeInfo,themeSuccess,themeError,themeWarning,themeDark';

/** The v2 settings at their defaults as `groups export --format csv` writes them. */
export const V2_CSV_DEFAULTS = 'on,on,logout,off,off,-,-,-,-,-,-,-,-,-,-,-,off';
