import { describe, expect, it } from 'vitest';
import { comparisonReport, groupDirectory, groupSlug, snapshotPath } from '../../src/render/snapshots.js';

describe('snapshot paths', () => {
  it('slugs a group name: lower case, runs of other characters become -, no - at the ends', () => {
    expect(groupSlug('Lakeside Pediatrics')).toBe('lakeside-pediatrics');
    expect(groupSlug('  Riverbend Orthopedics & Sports!! ')).toBe('riverbend-orthopedics-sports');
    expect(groupSlug('Ünïcode Clinic 2')).toBe('n-code-clinic-2');
  });

  it('falls back to group-<id> for a name with no a-z0-9', () => {
    expect(groupDirectory({ id: 7, name: '東京' })).toBe('group-7');
  });

  it('is <slug>/<account>.txt', () => {
    expect(snapshotPath({ id: 1, name: 'Lakeside Pediatrics' }, '10004')).toBe('lakeside-pediatrics/10004.txt');
    expect(snapshotPath({ id: 1, name: 'X' }, '../etc')).toBe('x/___etc.txt');
  });
});

describe('comparisonReport', () => {
  it('lists differences sorted by path, then one diff per changed file, then the summary', () => {
    const report = comparisonReport(
      [
        { status: 'missing', path: 'b/2.txt' },
        { status: 'changed', path: 'a/1.txt', before: 'one\ntwo\n', after: 'one\n2\n' },
        { status: 'new', path: 'a/0.txt' },
      ],
      5,
    );
    const lines = report.split('\n');
    expect(lines.slice(0, 3)).toEqual(['new a/0.txt', 'changed a/1.txt', 'missing b/2.txt']);
    expect(report).toContain('--- a/a/1.txt');
    expect(report).toContain('+++ b/a/1.txt');
    expect(report).toContain('-two\n+2\n');
    expect(report.endsWith('1 changed, 1 new, 1 missing, 5 unchanged\n')).toBe(true);
  });

  it('with no differences is only the summary', () => {
    expect(comparisonReport([], 3)).toBe('0 changed, 0 new, 0 missing, 3 unchanged\n');
  });
});
