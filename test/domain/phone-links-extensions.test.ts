// Footer numbers as staff paste them (docs/formats.md, "Values"): a tel: link is
// accepted; an extension of 0 or of more than 6 digits is refused with a message
// that says what is wrong with the extension.
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/domain/phone.js';

describe('footer numbers: tel: links and extension limits', () => {
  it.each([
    ['tel:+1-312-555-0142', '+13125550142'],
    ['TEL:3125550142', '+13125550142'],
    ['tel: (312) 555-0142', '+13125550142'],
    ['tel:+1-312-555-0142;ext=12', '+13125550142;ext=12'],
    ['312-555-0142 x123456', '+13125550142;ext=123456'],
    ['312-555-0142 x012', '+13125550142;ext=012'],
  ])('accepts %j as %s', (input, e164) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['312-555-0142 x0', 'extension 0 is not an extension (leave it out for the main number), in "312-555-0142 x0"'],
    ['312-555-0142 ext. 000', 'extension 000 is not an extension (leave it out for the main number), in "312-555-0142 ext. 000"'],
    ['tel:+1-312-555-0142;ext=0', 'extension 0 is not an extension (leave it out for the main number), in "tel:+1-312-555-0142;ext=0"'],
    ['312-555-0142 x1234567', 'extension 1234567 is too long: at most 6 digits, in "312-555-0142 x1234567"'],
    ['(312) 555-0142 extension 12345678901', 'extension 12345678901 is too long: at most 6 digits, in "(312) 555-0142 extension 12345678901"'],
  ])('refuses %j: %s', (input, message) => {
    expect(normalizePhone(input)).toEqual({ ok: false, message });
  });

  it.each(['tel:', 'tel:call-me', 'telephone 312-555-0142'])('refuses %j as before', (input) => {
    expect(normalizePhone(input).ok).toBe(false);
  });
});
