// Money is integer cents everywhere; these are the only conversions to and from text.

export type Cents = number;

export const MAX_MONEY_CENTS = 9_999_999_999; // 99,999,999.99

const MONEY_TEXT = /^(-)?(\d{1,8})(?:\.(\d{1,2}))?$/;

/**
 * Parse money given as a JSON number or string with at most two decimals.
 * Returns null when the value is not valid money. Numbers are read through
 * their shortest decimal text, so 12.1 is 1210 cents and 12.345 is rejected.
 */
export function parseMoney(value: unknown): Cents | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
    if (/e/i.test(text)) return null;
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = MONEY_TEXT.exec(text);
  if (!match) return null;
  const [, minus, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (cents > MAX_MONEY_CENTS) return null;
  return minus && cents !== 0 ? -cents : cents;
}

/** `"1234.56"`, `"-12.00"`: the JSON/CSV form. */
export function formatMoneyPlain(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * `$1,234.56`, `-$12.00`: the on-screen form. Built from integer arithmetic,
 * without a regular expression or padStart: a snapshot set formats a few
 * hundred thousand amounts (docs/performance.md, "Snapshots").
 */
export function formatMoney(cents: Cents): string {
  assertCents(cents);
  const abs = cents < 0 ? -cents : cents;
  const fraction = abs % 100;
  let whole = (abs - fraction) / 100;
  let dollars = '';
  while (whole >= 1000) {
    const group = whole % 1000;
    dollars = `,${group < 10 ? '00' : group < 100 ? '0' : ''}${group}${dollars}`;
    whole = (whole - group) / 1000;
  }
  return `${cents < 0 ? '-$' : '$'}${whole}${dollars}${fraction < 10 ? '.0' : '.'}${fraction}`;
}

function assertCents(cents: Cents): void {
  if (!Number.isSafeInteger(cents)) throw new Error(`money is not integer cents: ${cents}`);
}
