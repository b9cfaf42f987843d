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
