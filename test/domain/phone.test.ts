import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/domain/phone.js';
import { formatPhone } from '../../src/domain/phone-format.js';

describe('footer numbers are NANP numbers (SPEC §2)', () => {
  it.each([
    ['312-555-0142', '+13125550142'],
    ['(312) 555-0142', '+13125550142'],
    ['312.555.0142', '+13125550142'],
    ['+1 312 555 0142', '+13125550142'],
    ['1-312-555-0142', '+13125550142'],
    ['3125550142 x12', '+13125550142;ext=12'],
    ['(312) 555-0142 ext. 7', '+13125550142;ext=7'],
    ['+13125550142;ext=12', '+13125550142;ext=12'],
    ['+1 416 555 0142', '+14165550142'],
  ])('accepts %j as %s', (input, e164) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['letters', 'call-me-now'],
    ['a 555 area code', '555-555-0142'],
    ['too short', '312-555-014'],
    ['outside North America', '+44 20 7946 0958'],
    ['empty', '   '],
    ['words around a number', 'office 312-555-0142'],
  ])('rejects %s', (_what, input) => {
    const result = normalizePhone(input);
    expect(result.ok).toBe(false);
  });

  it('shows stored numbers as (312) 555-0142, with the extension', () => {
    expect(formatPhone('+13125550142')).toBe('(312) 555-0142');
    expect(formatPhone('+13125550142;ext=12')).toBe('(312) 555-0142 ext. 12');
  });
});
