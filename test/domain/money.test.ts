import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyPlain, parseMoney } from '../../src/domain/money.js';

describe('money is integer cents (SPEC §2, §4)', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.05', 1205],
    ['0.10', 10],
    ['-12.00', -1200],
    ['99999999.99', 9_999_999_999],
    [12.1, 1210],
    [0.3, 30],
    [180, 18000],
  ])('parses %j as %i cents', (input, cents) => {
    expect(parseMoney(input)).toBe(cents);
  });

  it.each([['12.345'], ['1,234.00'], ['$12'], ['abc'], [''], ['1e3'], [12.345], [Number.NaN], [Infinity], ['100000000.00'], [null], [true], [{}]])(
    'rejects %j',
    (input) => {
      expect(parseMoney(input)).toBeNull();
    },
  );

  it('adds 0.10 and 0.20 exactly: no floating point on money', () => {
    expect(parseMoney('0.10')! + parseMoney('0.20')!).toBe(parseMoney('0.30'));
  });

  it('formats on-screen money with a dollar sign, thousands commas and two decimals, for every whole number of cents', () => {
    expect([0, 5, -5, 100, 99_999, 100_000, -123_456_789, 100_000_000].map(formatMoney)).toEqual([
      '$0.00',
      '$0.05',
      '-$0.05',
      '$1.00',
      '$999.99',
      '$1,000.00',
      '-$1,234,567.89',
      '$1,000,000.00',
    ]);
    // Against the digits of the plain form, grouped by a regular expression.
    fc.assert(
      fc.property(fc.maxSafeInteger(), (cents) => {
        const [whole, fraction] = formatMoneyPlain(cents).replace('-', '').split('.');
        expect(formatMoney(cents)).toBe(`${cents < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('formats JSON/CSV money with exactly two decimals', () => {
    expect(formatMoneyPlain(123456)).toBe('1234.56');
    expect(formatMoneyPlain(-1200)).toBe('-12.00');
    expect(formatMoneyPlain(5)).toBe('0.05');
    expect(formatMoneyPlain(-5)).toBe('-0.05');
    expect(formatMoneyPlain(0)).toBe('0.00');
  });

  it('formats screen money with a dollar sign and thousands separators', () => {
    expect(formatMoney(123456)).toBe('$1,234.56');
    expect(formatMoney(-1200)).toBe('-$12.00');
    expect(formatMoney(9_999_999_999)).toBe('$99,999,999.99');
    expect(formatMoney(0)).toBe('$0.00');
  });

  it('refuses to format a fractional number of cents', () => {
    expect(() => formatMoney(12.5)).toThrow();
  });
});
