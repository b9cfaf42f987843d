import { describe, expect, it } from 'vitest';
import { sanitize } from '../../src/base/sanitize.js';

const ESC = '\u001b';

describe('store text never reaches a terminal raw (SPEC §2)', () => {
  it.each([
    ['a CSI color sequence', `Ana ${ESC}[31mRed${ESC}[0m`],
    ['an OSC title change ended by BEL', `Ana ${ESC}]0;pwned\u0007x`],
    ['an OSC 8 hyperlink ended by ST', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`],
    ['a C1 CSI', 'Ana \u009b31mRed'],
    ['BEL and backspace', 'Ana\u0007\u0008'],
    ['DEL', 'Ana\u007f'],
    ['a bidi override', 'Ana \u202Egnp.exe'],
    ['a NUL', 'Ana\u0000Bob'],
  ])('neutralizes %s', (_what, input) => {
    const out = sanitize(input);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps ordinary text, accents and apostrophes', () => {
    expect(sanitize("Siobhán O'Brien-Nuñez")).toBe("Siobhán O'Brien-Nuñez");
  });

  it('turns newlines into spaces unless they are allowed', () => {
    expect(sanitize('Mon–Fri\n8–5')).toBe('Mon–Fri 8–5');
    expect(sanitize('Mon–Fri\r\n8–5', { allowNewline: true })).toBe('Mon–Fri\n8–5');
  });

  it('marks what it removed, so a reader sees something was there', () => {
    expect(sanitize(`A${ESC}[2JB`)).toBe('A\ufffdB');
  });
});
