// One guarantor's account with everything the store holds for it: the one
// account row type, read by store/accounts.ts and used by the page, `accounts
// show` and export alike. Money in integer cents.
import type { EncounterStatus } from './balances.js';
import type { Cents } from './money.js';

export interface AccountLine {
  line: number;
  code: string;
  description: string;
  billed: Cents;
  adjusted: Cents;
  insurancePaid: Cents;
  patientPaid: Cents;
}

export interface AccountPatient {
  id: string;
  firstName: string;
  lastName: string;
}

export interface AccountEncounter {
  number: number;
  patient: AccountPatient;
  facility: { code: string; name: string };
  provider: { code: string; name: string };
  serviceDate: string;
  status: EncounterStatus;
  agency: { code: string; name: string; phone: string | null } | null;
  sentToCollectionsOn: string | null;
  lines: AccountLine[];
}

export interface AccountStatement {
  date: string;
  dueDate: string;
  amountDue: Cents;
}

/** `paid`, or `declined` (a card that was refused: it counts in no balance figure, docs/balances.md). */
export type PaymentStatus = 'paid' | 'declined';

export interface AccountPayment {
  date: string;
  amount: Cents;
  method: string;
  status: PaymentStatus;
}

/**
 * Encounters come in encounter-number order with their lines in line order,
 * patients in the order they were imported, statements by date, payments by
 * date (ties in input order).
 */
export interface Account {
  id: number;
  accountNumber: string;
  guarantor: { firstName: string; lastName: string };
  groupId: number;
  unappliedFunds: Cents;
  patients: AccountPatient[];
  encounters: AccountEncounter[];
  statements: AccountStatement[];
  payments: AccountPayment[];
}
