// Footer numbers: validation and normalization of what staff type, with
// libphonenumber-js. Only commands that accept a phone number import this
// module, so the phone metadata is not loaded by the others (docs/performance.md).
import { lazyModule } from '../base/lazy.js';

// The metadata is loaded when the first number is parsed, not when this module is.
const phoneLibrary = lazyModule<typeof import('libphonenumber-js/min')>('libphonenumber-js/min');

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

/**
 * Accept any common spelling of a North American (NANP) number, optionally
 * with an extension, and return its E.164 form (`+13125550142;ext=12`).
 */
export function normalizePhone(input: string): PhoneResult {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'expected a phone number, got an empty value' };
  // Only digits, the usual separators and an extension marker are allowed;
  // libphonenumber would otherwise pick a number out of surrounding words.
  if (!/^[+\d\s().\-/]*(?:(?:x|ext\.?|extension|;ext=|#)\s*\d{1,6})?$/i.test(text)) {
    return { ok: false, message: `expected a North American phone number such as (312) 555-0142, got ${JSON.stringify(input)}` };
  }
  const parsed = phoneLibrary().parsePhoneNumberFromString(text, { defaultCountry: 'US', extract: false });
  if (!parsed || parsed.countryCallingCode !== '1') {
    return { ok: false, message: `expected a North American (+1) phone number, got ${JSON.stringify(input)}` };
  }
  if (!parsed.isValid()) {
    return { ok: false, message: `not a valid North American phone number: ${JSON.stringify(input)}` };
  }
  return { ok: true, e164: parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number };
}
