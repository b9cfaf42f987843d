// The bulk-apply planner (SPEC §6 "Bulk apply"): parsing CSV and JSON input
// into rows located by line or index, and planning them against the groups.
import { describe, expect, it } from 'vitest';
import { parseApplyCsv, parseApplyJson, planApply, type ApplyInput } from '../../src/domain/apply-plan.js';
import { defaultSettings, type Group } from '../../src/domain/group-settings.js';
import { UsageError } from '../../src/base/errors.js';

function group(id: number, name: string, settings: Partial<Group> = {}): Group {
  return { id, name, ...defaultSettings(), ...settings } as Group;
}

function byKey(...groups: Group[]): Map<string, Group> {
  return new Map(groups.map((g) => [g.name.toLowerCase(), g]));
}

const wheres = (input: ApplyInput) => input.rows.map((row) => row.where);

describe('CSV input', () => {
  it('locates each row by its physical line, counting the header as line 1, empty lines and multi-line cells', () => {
    const text = 'name,footerText\n\nA,"two\nlines"\nB,x\nC,"y\n\nz"\n\n\nE,z\n';
    const input = parseApplyCsv(text, 'f.csv');
    expect(input.problems).toEqual([]);
    expect(wheres(input)).toEqual(['line 3', 'line 5', 'line 6', 'line 11']);
    expect(input.rows.map((row) => row.wanted.footerText)).toEqual(['two\nlines', 'x', 'y\n\nz', 'z']);
  });

  it('counts CRLF line breaks once and reads CRLF inside a quoted cell as a newline', () => {
    const input = parseApplyCsv('name,footerText\r\nA,"one\r\ntwo"\r\nB,x\r\n', 'f.csv');
    expect(wheres(input)).toEqual(['line 2', 'line 4']);
    expect(input.rows[0].wanted).toEqual({ footerText: 'one\ntwo' });
  });

  it('leaves a setting unchanged for an empty or blank cell, clears a nullable one for "-"', () => {
    const input = parseApplyCsv('name,showCollections,footerPhone,footerEmail,logoUrl\nA,, ,-,https://x.example.com/l.png\n', 'f.csv');
    expect(input.rows[0].problems).toEqual([]);
    expect(input.rows[0].wanted).toEqual({ footerEmail: null, logoUrl: 'https://x.example.com/l.png' });
  });

  it('rejects "-" on a setting that always has a value', () => {
    const input = parseApplyCsv('name,showCollections,landingPage\nA,-,-\n', 'f.csv');
    expect(input.rows[0].problems.map((p) => p.where)).toEqual(['line 2: showCollections', 'line 2: landingPage']);
    expect(input.rows[0].problems[0].message).toMatch(/on or off/);
  });

  it('parses values as flags do: on/off words, phones to E.164', () => {
    const input = parseApplyCsv('name,showCollections,creditCard,footerPhone\nA,yes,0,(312) 555-0142 x12\n', 'f.csv');
    expect(input.rows[0].wanted).toEqual({ showCollections: true, creditCard: false, footerPhone: '+13125550142;ext=12' });
  });

  it('reports an invalid value with its line and field', () => {
    const input = parseApplyCsv('name,footerPhone\nA,(312) 555-0142\nB,12\n', 'f.csv');
    expect(input.rows[1].problems).toEqual([{ where: 'line 3: footerPhone', message: expect.any(String) }]);
  });

  it('reports unknown, duplicate and empty header cells on line 1, suggesting the right case', () => {
    // (Empty columns at the end of the header are spreadsheet padding: test/e2e/apply-csv-input.test.ts.)
    const input = parseApplyCsv('name,showcollections,colour,footerText,footerText,,autoPost\nA,on,red,x,y,,on\n', 'f.csv');
    expect(input.problems.map((p) => p.where)).toEqual(['line 1: showcollections', 'line 1: colour', 'line 1: footerText', 'line 1: column 6']);
    expect(input.problems[0].message).toMatch(/did you mean showCollections/);
  });

  it('requires a name column', () => {
    const input = parseApplyCsv('showCollections\non\n', 'f.csv');
    expect(input.problems).toEqual([{ where: 'line 1: name', message: expect.stringMatching(/missing column "name"/) }]);
  });

  it('reports a row with the wrong number of cells, and skips rows of empty cells', () => {
    const input = parseApplyCsv('name,showCollections\nA,on,extra\n,\nB,off\n', 'f.csv');
    expect(input.rows.map((r) => [r.where, r.problems.length])).toEqual([
      ['line 2', 1],
      ['line 4', 0],
    ]);
  });

  it('throws a usage error for text that is not CSV, or is empty', () => {
    expect(() => parseApplyCsv('name,footerText\nA,"unclosed\n', 'f.csv')).toThrow(UsageError);
    expect(() => parseApplyCsv('name,footerText\nA,"unclosed\n', 'f.csv')).toThrow(/^f\.csv: malformed CSV/);
    expect(() => parseApplyCsv('', 'f.csv')).toThrow(/empty CSV/);
  });
});

describe('JSON input', () => {
  it('accepts {"groups": [...]} and a bare array, locating entries by 0-based index', () => {
    const wrapped = parseApplyJson(
      {
        groups: [
          { name: 'A', showCollections: true },
          { name: 'B', footerPhone: null },
        ],
      },
      'f.json',
    );
    expect(wheres(wrapped)).toEqual(['groups[0]', 'groups[1]']);
    expect(wrapped.rows[1].wanted).toEqual({ footerPhone: null });
    const bare = parseApplyJson([{ name: 'A', footerPhone: '312.555.0142' }], 'f.json');
    expect(wheres(bare)).toEqual(['[0]']);
    expect(bare.rows[0].wanted).toEqual({ footerPhone: '+13125550142' });
  });

  it('reports unknown fields, invalid values, missing names and non-objects with index and field', () => {
    const input = parseApplyJson(
      { groups: [{ name: 'A', colour: 'red' }, { name: 'B', showCollections: null }, { footerText: 'x' }, 'C', { name: 'D', landingPage: 'away' }], extra: 1 },
      'f.json',
    );
    const problems = [...input.problems, ...input.rows.flatMap((r) => r.problems)].map((p) => p.where);
    expect(problems).toEqual(['extra', 'groups[0].colour', 'groups[1].showCollections', 'groups[2].name', 'groups[3]', 'groups[4].landingPage']);
  });

  it('throws a usage error for a document of the wrong shape', () => {
    expect(() => parseApplyJson({ group: [] }, 'f.json')).toThrow(UsageError);
    expect(() => parseApplyJson(42, 'f.json')).toThrow(/expected \{"groups": \[\.\.\.\]\} or an array/);
  });
});

describe('planning against the current groups', () => {
  const lakeside = group(1, 'Lakeside Pediatrics', { showCollections: true, footerPhone: '+13125550142' });
  const north = group(2, 'Northshore');

  it('splits groups into changed (with field changes), unchanged and — with --create — created', () => {
    const input = parseApplyJson(
      [
        { name: 'lakeside pediatrics', showCollections: false, footerPhone: '(312) 555-0142' },
        { name: 'Northshore', creditCard: true },
        { name: 'New Clinic', applePay: true },
      ],
      'f.json',
    );
    const { plan, problems } = planApply(input, byKey(lakeside, north), { create: true });
    expect(problems).toEqual([]);
    expect(plan.changed).toEqual([{ group: lakeside, changes: [{ field: 'showCollections', from: true, to: false }] }]);
    expect(plan.unchanged).toBe(1);
    expect(plan.created).toEqual([
      { name: 'New Clinic', settings: { ...defaultSettings(), applePay: true }, changes: [{ field: 'applePay', from: false, to: true }] },
    ]);
  });

  it('reports an unknown group without --create', () => {
    const input = parseApplyCsv('name,applePay\nNew Clinic,on\n', 'f.csv');
    const { problems } = planApply(input, byKey(lakeside), { create: false });
    expect(problems).toEqual([{ where: 'line 2: name', message: expect.stringMatching(/no such group "New Clinic".*--create/) }]);
  });

  it('reports a group named twice, compared case-insensitively, pointing at the first', () => {
    const input = parseApplyCsv('name,applePay\nLakeside Pediatrics,on\nLAKESIDE PEDIATRICS,off\n', 'f.csv');
    const { problems } = planApply(input, byKey(lakeside), { create: false });
    expect(problems).toEqual([{ where: 'line 3: name', message: expect.stringMatching(/appears more than once \(also line 2/) }]);
  });

  it('reports problems in input order: header first, then row by row', () => {
    const input = parseApplyCsv('name,applePay,bogus\nNope,maybe,1\nLakeside Pediatrics,on,2\n', 'f.csv');
    const { problems } = planApply(input, byKey(lakeside), { create: false });
    expect(problems.map((p) => p.where)).toEqual(['line 1: bogus', 'line 2: name', 'line 2: applePay']);
  });
});
