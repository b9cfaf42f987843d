// Footer numbers: validation and normalization of what staff type, with
// libphonenumber-js. Only commands that accept a phone number import this
// module, so the phone metadata is not loaded by the others (docs/performance.md).
import { lazyModule } from '../base/lazy.js';

// The metadata is loaded when the first number is parsed, not when this module is.
const phoneLibrary = lazyModule<typeof import('libphonenumber-js/min')>('libphonenumber-js/min');

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

const EXTENSION_MAX_DIGITS = 6;
/** The extension at the end of a number, after any of the markers the number may use. */
const EXTENSION = /(?:x|ext\.?|extension|;ext=|#)\s*(\d+)$/i;

/**
 * Accept any common spelling of a North American (NANP) number, optionally
 * with an extension, and return its E.164 form (`+13125550142;ext=12`).
 */
export function normalizePhone(input: string): PhoneResult {
  // A number copied from a web page or a contact card may be a tel: link (`tel:+1-312-555-0142`).
  const text = input.trim().replace(/^tel:\s*/i, '');
  if (text === '') return { ok: false, message: 'expected a phone number, got an empty value' };
  const extension = EXTENSION.exec(text)?.[1];
  if (extension !== undefined && extension.length > EXTENSION_MAX_DIGITS) {
    return { ok: false, message: `extension ${extension} is too long: at most ${EXTENSION_MAX_DIGITS} digits, in ${JSON.stringify(input)}` };
  }
  if (extension !== undefined && /^0+$/.test(extension)) {
    return { ok: false, message: `extension ${extension} is not an extension (leave it out for the main number), in ${JSON.stringify(input)}` };
  }
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
