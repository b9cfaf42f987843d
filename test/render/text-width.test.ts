import { describe, expect, it } from 'vitest';
import { codePointWidth, displayWidth, truncateToWidth, wrapToWidth } from '../../src/base/text-width.js';

describe('displayWidth', () => {
  it('counts ASCII one column each, wide CJK and emoji two, combining marks none', () => {
    expect(displayWidth('Maria Rivera')).toBe(12);
    expect(displayWidth('山田')).toBe(4);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('Nuñez — €')).toBe(9);
    expect(codePointWidth('\u200b')).toBe(0);
  });
});

describe('truncateToWidth', () => {
  it('keeps text that fits and cuts the rest with an ellipsis', () => {
    expect(truncateToWidth('abc', 3)).toBe('abc');
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
    expect(displayWidth(truncateToWidth('山田太郎', 5))).toBeLessThanOrEqual(5);
  });
});

describe('wrapToWidth', () => {
  it('breaks at spaces, and inside words only when a word is longer than the width', () => {
    expect(wrapToWidth('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrapToWidth('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapToWidth('', 10)).toEqual(['']);
  });

  it('never splits a no-break phrase that fits, and prints it with plain spaces', () => {
    expect(wrapToWidth('please call\u00a0(312)\u00a0555-0142.', 20)).toEqual(['please', 'call (312) 555-0142.']);
  });

  it('never exceeds the width with wide characters', () => {
    for (const line of wrapToWidth('山田太郎山田太郎山田太郎 😀😀😀😀😀', 5)) expect(displayWidth(line)).toBeLessThanOrEqual(5);
  });
});
