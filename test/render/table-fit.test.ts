// Fitting a table to a terminal (docs/design-choices.md, "Hardening (v1.1)", Tables).
import { describe, expect, it } from 'vitest';
import { fitTable, type ColumnRules } from '../../src/render/table-fit.js';

const rules = (keep: number[] = [], wrap: number[] = []): ColumnRules => ({ keep: new Set(keep), wrap: new Set(wrap) });
/** Content widths plus the chrome: a border and two spaces of padding per column, and the last border. */
const drawn = (widths: number[]): number => widths.reduce((sum, w) => sum + w + 3, 1);

describe('fitTable', () => {
  it('leaves a table that fits alone, no-break spaces of wrapping columns made spaces', () => {
    const fitted = fitTable(['Name', 'Phone'], [['A', '(312)\u00a0555-0142']], 80, rules([], [1]));
    expect(fitted).toEqual({ kind: 'table', head: ['Name', 'Phone'], rows: [['A', '(312) 555-0142']] });
  });

  it('wraps headers first', () => {
    const fitted = fitTable(['Id', 'With collection balance'], [['1', '3']], drawn([2, 10]), rules([0, 1]));
    expect(fitted).toMatchObject({ kind: 'table', head: ['Id', 'With\ncollection\nbalance'], widths: [2, 10] });
  });

  it('cuts the widest text column first, never a kept one', () => {
    const fitted = fitTable(['A', 'B', 'Money'], [['a'.repeat(30), 'b'.repeat(20), '$1,000.00']], drawn([15, 15, 9]), rules([2]));
    expect(fitted).toMatchObject({ kind: 'table', widths: [15, 15, 9] });
    if (fitted.kind !== 'table') throw new Error('expected a table');
    expect(fitted.rows[0]).toEqual([`${'a'.repeat(14)}…`, `${'b'.repeat(14)}…`, '$1,000.00']);
  });

  it('cuts to 20 before a wrapping column wraps, then wraps, then cuts further', () => {
    const head = ['Name', 'Phone'];
    const row = ['n'.repeat(40), '(312)\u00a0555-0142 ext.\u00a012'];
    expect(fitTable(head, [row], drawn([20, 22]), rules([], [1]))).toMatchObject({ widths: [20, 22] });
    const wrapped = fitTable(head, [row], drawn([20, 14]), rules([], [1]));
    expect(wrapped).toMatchObject({ widths: [20, 14], rows: [[`${'n'.repeat(19)}…`, '(312) 555-0142\next. 12']] });
    expect(fitTable(head, [row], drawn([10, 14]), rules([], [1]))).toMatchObject({ widths: [10, 14] });
  });

  it('cuts by display width: a wide character never straddles the edge', () => {
    const fitted = fitTable(['Name', 'X'], [['東京こどもクリニック', 'x']], drawn([9, 1]), rules());
    expect(fitted).toMatchObject({ rows: [['東京こど…', 'x']] });
  });

  it('when even the narrowest table is too wide, prints one block of "Column: value" lines per row', () => {
    const fitted = fitTable(
      ['Account', 'Name', 'Total'],
      [
        ['10001', 'Rivera, Maria Elena', '$9,876,543.21'],
        ['10002', '', '$0.00'],
      ],
      30,
      rules([0, 2]),
    );
    expect(fitted).toEqual({
      kind: 'records',
      text: 'Account: 10001\nName:    Rivera, Maria Elena\nTotal:   $9,876,543.21\n\nAccount: 10002\nName:\nTotal:   $0.00\n',
    });
  });
});
