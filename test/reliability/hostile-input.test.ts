// SPEC §10: bad input of every kind gives exit 2 (or 3) with clear messages and
// a store byte-for-byte unchanged; valid input — however strange its
// characters — is accepted (exit 0). Property-based: valid dumps and apply
// files are mutated field by field (nulls, wrong types, 100k-character
// strings, control and bidi characters, impossible dates, SQL-looking text,
// extra fields, money with too many decimals or a minus sign) and run through
// the real CLI in-process. Never exit 70, never a stack trace, never a partial
// write, never a raw control character on stderr.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyStore, makeStore, pops, storeDigest, tempDir, type RunResult } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { GROUP_SETTINGS } from '../../src/domain/group-settings.js';
import { storeState } from './store-state.js';

const SEED = 20260807;
const NUM_RUNS = 80;

/** What a terminal would act on: C0 but newline, DEL, C1, bidi overrides and isolates. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const HUGE = 'x'.repeat(100_000);
const HOSTILE_TEXTS = [
  '',
  ' ',
  HUGE,
  'Ann\u0000e',
  'Red\u001b[31mAlert\u001b[0m',
  '\u001b]0;pwned\u0007title',
  '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\',
  'bell\u0007',
  'c1\u009b2Jcsi\u0085nel',
  'bidi\u202egnp.exe',
  'iso\u2066late\u2069',
  "'; DROP TABLE groups;--",
  "Robert'); DELETE FROM accounts; --",
  '" OR 1=1 --',
  'line\nbreak',
  'crlf\r\nbreak',
  '\uFEFFbom',
  '\uD800lone surrogate',
  'Zoë Østergaard-Ñuñez 李',
];
const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_TEXTS,
  null,
  true,
  false,
  0,
  -1,
  1.5,
  12.345,
  '12.345',
  '-5.00',
  -5,
  '1e3',
  1e21,
  99_999_999.999,
  '100000000.00',
  '0.000000001',
  Number.MAX_SAFE_INTEGER + 2,
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '1899-12-31',
  '2026-1-1',
  '9999-99-99T00:00:00Z',
  [],
  [null],
  {},
  { nested: { deeper: "'; DROP TABLE groups;--" } },
];

type Path = (string | number)[];

/** Every path to a value inside `value` (objects, arrays and leaves). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...prefix, k]));
  return paths;
}

type Mutation = { kind: 'set'; path: Path; value: unknown } | { kind: 'delete'; path: Path } | { kind: 'extra'; path: Path; key: string; value: unknown };

function mutate<T>(document: T, mutations: Mutation[]): T {
  const copy = structuredClone(document) as any;
  for (const m of mutations) {
    const parentPath = m.kind === 'extra' ? m.path : m.path.slice(0, -1);
    let parent = copy;
    for (const key of parentPath) parent = parent?.[key];
    if (parent === null || typeof parent !== 'object') continue;
    if (m.kind === 'extra') {
      if (!Array.isArray(parent)) parent[m.key] = m.value;
      continue;
    }
    const key = m.path.at(-1)!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else parent[key] = m.value;
  }
  return copy;
}

function mutationsOf(document: unknown): fc.Arbitrary<Mutation[]> {
  const paths = pathsOf(document);
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('extra' as const),
        path: fc.constantFrom([] as Path, ...paths),
        key: fc.constantFrom('extra', "'; DROP TABLE groups;--", '__proto__', 'constructor', HUGE),
        value,
      }),
    },
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

/** The rules every run obeys, whatever the input. */
function expectCleanOutcome(result: RunResult, digestBefore: string, db: string): void {
  expect([0, 2], result.stderr.slice(0, 2000)).toContain(result.code);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  for (const l of lines) expect(l).toMatch(/^pops: /);
  expect(lines.length).toBeLessThanOrEqual(51);
  if (result.code === 2) {
    expect(storeDigest(db)).toBe(digestBefore);
    // One line per problem, each short enough to read: a 100k value is never echoed whole.
    for (const l of lines) expect(l.length).toBeLessThan(1000);
  }
}

const inputFile = (dir: string, name: string, content: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('pops import of mutated dumps', () => {
  const valid = baseDump({
    groups: [
      {
        name: 'Lakeside Pediatrics',
        showCollections: true,
        footerPhone: '(312) 555-0142',
        footerEmail: 'billing@lakeside.example.com',
        footerText: 'Call us',
        logoUrl: 'https://lakeside.example.com/logo.png',
        landingPage: 'account',
      },
    ],
    collectionAgencies: [{ code: 'SUMMIT', name: 'Summit Recovery Services', phone: '312-555-0100' }],
    accounts: [
      account('H-1', {
        unappliedFunds: '5.00',
        encounters: [
          encounter({
            number: 900_001,
            status: 'collections',
            collectionAgency: 'SUMMIT',
            sentToCollectionsOn: '2026-10-20',
            lines: [line(1, { billed: '180.00', adjusted: '40.00', insurancePaid: '100.00' })],
          }),
          encounter({ number: 900_002, lines: [line(1, { billed: '12.50' }), line(2, { billed: '7.25', patientPaid: '1.00' })] }),
        ],
        statements: [{ date: '2026-10-01', dueDate: '2026-10-25', amountDue: '40.00' }],
        payments: [{ date: '2026-10-05', amount: '10.00', method: 'portal' }],
      }),
    ],
  });
  let pristine: string;
  beforeAll(async () => {
    pristine = await makeStore({ dump: baseDump({ groups: [{ name: 'Existing Group' }], facilities: [], providers: [], collectionAgencies: [] }) });
  });
  const dir = tempDir();

  it('the unmutated dump imports (the baseline the mutations start from)', async () => {
    const db = copyStore(pristine);
    const result = await pops(['--db', db, 'import', inputFile(dir, 'valid.json', JSON.stringify(valid))]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('any mutation: exit 0 with the dump imported, or exit 2 with the store unchanged', async () => {
    let run = 0;
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(mutationsOf(valid), async (mutations) => {
        const db = copyStore(pristine);
        const before = storeDigest(db);
        const accountsBefore = storeState(db).accounts.length;
        const file = inputFile(dir, `dump-${(run += 1)}.json`, JSON.stringify(mutate(valid, mutations)));
        const result = await pops(['--db', db, 'import', file]);
        seen.add(result.code);
        expectCleanOutcome(result, before, db);
        if (result.code === 0) expect(storeState(db).accounts.length).toBeGreaterThan(accountsBefore);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    // The mutations both break the dump and keep it valid (odd characters in free text are valid).
    expect([...seen].sort()).toEqual([0, 2]);
  }, 60_000);
});

describe('pops groups apply of mutated input', () => {
  const valid = {
    groups: [
      { name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '312-555-0142', footerText: 'Call us\nweekdays', applePay: false },
      { name: 'New Group', footerEmail: 'billing@example.com', logoUrl: 'https://example.com/l.png', landingPage: 'home', requireCvv: true },
    ],
  };
  let pristine: string;
  beforeAll(async () => {
    pristine = await makeStore({ dump: baseDump({ groups: [{ name: 'Lakeside Pediatrics' }], facilities: [], providers: [], collectionAgencies: [] }) });
  });
  const dir = tempDir();

  it('JSON: exit 0 with the plan applied, or exit 2 with the store unchanged', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutationsOf(valid), fc.boolean(), async (mutations, create) => {
        const db = copyStore(pristine);
        const before = storeDigest(db);
        const file = inputFile(dir, `apply-${(run += 1)}.json`, JSON.stringify(mutate(valid, mutations)));
        const result = await pops(['--db', db, 'groups', 'apply', file, ...(create ? ['--create'] : [])]);
        // An input that names no group of the store is not an error: exit 0, "0 changed".
        expectCleanOutcome(result, before, db);
        if (result.code === 0) expect(result.stdout).toMatch(/\d+ changed, \d+ created, \d+ unchanged\n$/);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  }, 60_000);

  const COLUMNS = ['name', ...GROUP_SETTINGS.map((s) => s.key)];
  const validRows = [
    [
      'Lakeside Pediatrics',
      'on',
      '312-555-0142',
      'billing@example.com',
      'Call us',
      'account',
      'on',
      'off',
      'on',
      'off',
      'off',
      'off',
      'off',
      'on',
      'https://example.com/l.png',
      'off',
      'on',
      'close',
      'on',
      'on',
      'https://example.com/f.ico',
      '-',
      '#FFFFFF',
      '#f5f5f5',
      '#1a73e8',
      '',
      '#E37400',
      '-',
      '',
      '',
      '#b3261e',
      'off',
    ],
    ['New Group', '', '', '-', '', '', '', '', '', '', '', '', '', '', '-', '', '', 'none', '', '', '', '-', '', '', '', '', '', '', '', '', '', 'on'],
  ];
  const csvCell = (cell: string): string => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const hostileCell = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXTS, '-', '"', 'a"b', '"unterminated', ',', 'on,off', 'yes', 'maybe', '1.5', '2026-02-30') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  );

  it('CSV: a cell, header or quoting mutated: exit 0 or exit 2 with the store unchanged', async () => {
    expect(validRows[0]).toHaveLength(COLUMNS.length);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ row: fc.nat({ max: 2 }), column: fc.nat({ max: COLUMNS.length - 1 }), cell: hostileCell, quoted: fc.boolean() }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.boolean(),
        async (edits, create) => {
          const table = [COLUMNS, ...validRows].map((r) => r.map((cell) => ({ text: cell, quoted: true })));
          // Quoted edits are well-formed CSV carrying a hostile value; raw ones may break the CSV itself.
          for (const { row, column, cell, quoted } of edits) table[row][column] = { text: cell, quoted };
          const text = table.map((r) => r.map((c) => (c.quoted ? csvCell(c.text) : c.text)).join(',')).join('\n') + '\n';
          const db = copyStore(pristine);
          const before = storeDigest(db);
          const file = inputFile(dir, `apply-${(run += 1)}.csv`, text);
          const result = await pops(['--db', db, 'groups', 'apply', file, ...(create ? ['--create'] : [])]);
          expectCleanOutcome(result, before, db);
        },
      ),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  }, 60_000);
});

describe('pops groups set / create with hostile flag values', () => {
  it('exit 0 or 2 (3 for an unknown group), store unchanged unless 0', async () => {
    const pristine = await makeStore({ dump: baseDump({ groups: [{ name: 'Lakeside Pediatrics' }], facilities: [], providers: [], collectionAgencies: [] }) });
    const flags = ['--footer-text', '--footer-phone', '--footer-email', '--logo-url', '--landing-page', '--show-collections', '--name'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...flags), fc.constantFrom(...HOSTILE_TEXTS), fc.constantFrom('set', 'create'), async (flag, value, verb) => {
        const db = copyStore(pristine);
        const before = storeDigest(db);
        const target = verb === 'set' ? 'Lakeside Pediatrics' : value;
        const result = await pops(['--db', db, 'groups', verb, target, ...(verb === 'create' && flag === '--name' ? [] : [flag, value])]);
        expect([0, 2], result.stderr.slice(0, 2000)).toContain(result.code);
        expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
        expect(result.stderr).not.toMatch(RAW_CONTROL);
        if (result.code !== 0) expect(storeDigest(db)).toBe(before);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  }, 60_000);
});
