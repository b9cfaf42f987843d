// Hand-built pages for the renderer tests: one group and one account's
// visits, stated once so every page test starts from the same patient.
import type { FacilityVisits, PageGroup, VisitLine } from '../../src/domain/account-page.js';
import { defaultSettings } from '../../src/domain/group-settings.js';

/** Lakeside Pediatrics: Show Collections on, a full footer, every other setting at its default. */
export const LAKESIDE_GROUP: PageGroup = {
  ...defaultSettings(),
  name: 'Lakeside Pediatrics',
  showCollections: true,
  footerPhone: '+13125550142',
  footerEmail: 'billing@lakesidepeds.example.com',
  footerText: 'Office hours: Mon–Fri 8:00–17:00',
};

/** Leo Rivera's office visit of 10/20/2026, line 1: $15.00 remaining. */
export const LEO_VISIT_LINE: VisitLine = {
  serviceDate: '2026-10-20',
  serviceId: '67179-1',
  billed: 18500,
  adjusted: 4500,
  insurancePaid: 10000,
  patientPaid: 2500,
  remaining: 1500,
};

/** Visits at Lakeside Main Clinic with Ana Ortiz, MD, all of them Leo Rivera's. */
export function leoVisits(lines: VisitLine[] = [LEO_VISIT_LINE]): FacilityVisits[] {
  return [{ facilityName: 'Lakeside Main Clinic', providers: [{ providerName: 'Ana Ortiz, MD', patients: [{ patientName: 'Leo Rivera', lines }] }] }];
}
