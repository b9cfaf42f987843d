// pops accounts list (SPEC §7) on a generated store whose every figure is
// known in advance (test/helpers/account-generator.ts computes them from §4).
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { AGENCIES, GROUPS, HOSTILE_ACCOUNT, byCodePoint, expectedAccounts, generateDump, type ExpectedAccount } from '../helpers/account-generator.js';
import { jsonText } from '../../src/render/output.js';

const ACCOUNT_COUNT = 200;
let db: string;
let dump: Record<string, any>;
let expected: ExpectedAccount[];

/** Accounts in account-number order (SQLite BINARY = code point order). */
const byAccount = (a: ExpectedAccount, b: ExpectedAccount): number => byCodePoint(a.json.accountNumber, b.json.accountNumber);
const descendingThenAccount =
  (money: (a: ExpectedAccount) => number) =>
  (a: ExpectedAccount, b: ExpectedAccount): number =>
    money(b) - money(a) || byAccount(a, b);
const fold = (text: string): string => text.normalize('NFC').toLowerCase();

const SORTS: Record<string, (a: ExpectedAccount, b: ExpectedAccount) => number> = {
  account: byAccount,
  name: (a, b) => byCodePoint(fold(a.lastName), fold(b.lastName)) || byCodePoint(fold(a.firstName), fold(b.firstName)) || byAccount(a, b),
  collection: descendingThenAccount((a) => a.collection),
  'non-collection': descendingThenAccount((a) => a.nonCollection),
  total: descendingThenAccount((a) => a.total),
};

async function listJson(args: string[]): Promise<ExpectedAccount['json'][]> {
  const result = await pops(['--db', db, 'accounts', 'list', '--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

function numbers(rows: { accountNumber: string }[]): string[] {
  return rows.map((r) => r.accountNumber);
}

function expectedNumbers(filter: (a: ExpectedAccount) => boolean, sort = 'account', limit?: number): string[] {
  const rows = expected.filter(filter).sort(SORTS[sort]);
  return numbers((limit === undefined ? rows : rows.slice(0, limit)).map((a) => a.json));
}

beforeAll(async () => {
  dump = generateDump(20_261_014, ACCOUNT_COUNT);
  expected = expectedAccounts(dump);
});

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  beforeAll(async () => {
    db = await makeStore({ dump }, backend);
  });

  describe('pops accounts list on a generated store', () => {
    it('the generated data covers what the rules care about', () => {
      const encounters = dump.accounts.flatMap((a: any) => a.encounters);
      for (const status of ['open', 'pre-collections', 'collections']) expect(encounters.some((e: any) => e.status === status)).toBe(true);
      expect(expected.some((a) => a.nonCollection < 0)).toBe(true); // credits
      expect(expected.some((a) => a.json.collectionAgencies.length > 1)).toBe(true);
      expect(expected.some((a) => a.json.encountersInCollections > 0 && a.collection <= 0)).toBe(true);
      const onStatementDate = dump.accounts.some((a: any) => {
        const latest = a.statements
          .map((s: any) => s.date)
          .sort()
          .at(-1);
        return latest !== undefined && a.payments.some((p: any) => p.date === latest);
      });
      expect(onStatementDate).toBe(true);
      expect(dump.accounts.some((a: any) => a.statements.length === 0 && a.payments.length > 0)).toBe(true);
      expect(dump.accounts.some((a: any) => a.statements.length >= 2)).toBe(true);
    });

    it('--all --json gives every figure of every account as SPEC §4 computes it', async () => {
      const rows = await listJson(['--all']);
      expect(rows).toHaveLength(ACCOUNT_COUNT);
      expect(rows).toEqual([...expected].sort(byAccount).map((a) => a.json));
    });

    it('--json is one 2-space-indented JSON document, even when streamed in chunks', async () => {
      const result = await pops(['--db', db, 'accounts', 'list', '--all', '--json']);
      expect(result.stdout.length).toBeGreaterThan(64 * 1024);
      // Byte for byte what the one shared JSON writer makes of the same rows (it
      // also escapes C1 and bidi characters, which JSON.stringify leaves raw).
      expect(result.stdout).toBe(`${jsonText(JSON.parse(result.stdout))}\n`);
    });

    it('an empty result is an empty JSON array and a CSV header alone', async () => {
      expect((await pops(['--db', db, 'accounts', 'list', '--json', '--search', 'no such guarantor'])).stdout).toBe('[]\n');
      const csv = await pops(['--db', db, 'accounts', 'list', '--csv', '--search', 'no such guarantor']);
      expect(csv.stdout.trim().split('\n')).toHaveLength(1);
    });

    it('the default limit is 50, --limit N shows N, --all shows every account', async () => {
      expect(numbers(await listJson([]))).toEqual(expectedNumbers(() => true, 'account', 50));
      expect(numbers(await listJson(['--limit', '7']))).toEqual(expectedNumbers(() => true, 'account', 7));
      expect(numbers(await listJson(['--limit', '1000']))).toHaveLength(ACCOUNT_COUNT);
      expect(numbers(await listJson(['--all', '--sort', 'total']))).toEqual(expectedNumbers(() => true, 'total'));
    });

    for (const sort of Object.keys(SORTS)) {
      it(`--sort ${sort} orders as SPEC §7 says, ties by account number ascending`, async () => {
        expect(numbers(await listJson(['--all', '--sort', sort]))).toEqual(expectedNumbers(() => true, sort));
      });
    }

    it('the sorts have ties to break in this data (so the tie-break is really tested)', () => {
      const collectionTies = expected.filter((a) => a.collection === 0).length;
      expect(collectionTies).toBeGreaterThan(10);
      const names = expected.map((a) => `${fold(a.lastName)}|${fold(a.firstName)}`);
      expect(new Set(names).size).toBeLessThan(names.length);
    });

    it('--group takes a name in any case or an id, and scopes the list', async () => {
      const group = GROUPS[1].name;
      const want = expectedNumbers((a) => a.groupName === group);
      expect(numbers(await listJson(['--all', '--group', group.toUpperCase()]))).toEqual(want);
      expect(numbers(await listJson(['--all', '--group', '2']))).toEqual(want);
    });

    it('--in-collections keeps accounts whose collection balance is above zero', async () => {
      const rows = await listJson(['--all', '--in-collections']);
      expect(numbers(rows)).toEqual(expectedNumbers((a) => a.collection > 0));
    });

    it('--min-total keeps accounts whose total balance is at least the amount (negative amounts too)', async () => {
      expect(numbers(await listJson(['--all', '--min-total', '250.5']))).toEqual(expectedNumbers((a) => a.total >= 25_050));
      expect(numbers(await listJson(['--all', '--min-total', '-10']))).toEqual(expectedNumbers((a) => a.total >= -1000));
      const exact = expected.find((a) => a.total > 0)!;
      expect(numbers(await listJson(['--all', '--min-total', exact.json.totalBalance]))).toContain(exact.json.accountNumber);
    });

    it('--search matches an account-number prefix (any case)', async () => {
      expect(numbers(await listJson(['--all', '--search', 'ab-']))).toEqual(expectedNumbers((a) => a.json.accountNumber.toLowerCase().startsWith('ab-')));
      const prefix = numbers(await listJson(['--all', '--search', 'AB']));
      expect(prefix).toEqual(expectedNumbers((a) => a.json.accountNumber.toLowerCase().startsWith('ab')));
      expect(prefix.some((n) => n.startsWith('ab1'))).toBe(true);
      // A prefix, not a substring: "0017" is inside many numbers but starts none.
      expect(await listJson(['--all', '--search', '0017'])).toEqual([]);
    });

    it('--search matches part of the guarantor name, "First Last" or "Last, First", in any case', async () => {
      const matches = (needle: string) => (a: ExpectedAccount) =>
        fold(`${a.firstName} ${a.lastName}`).includes(fold(needle)) || fold(`${a.lastName}, ${a.firstName}`).includes(fold(needle));
      for (const needle of ['RIVERA', 'ñuñ', 'smith, jr', 'maria riv', 'rivera, mar', 'Zoë', '"doc"']) {
        const want = expectedNumbers(matches(needle));
        expect(want.length, needle).toBeGreaterThan(0);
        expect(numbers(await listJson(['--all', '--search', needle])), needle).toEqual(want);
      }
    });

    it('--search treats LIKE wildcards and quotes literally', async () => {
      for (const needle of ['%', '_', '1_', 'a%b', "'; DROP TABLE accounts; --", '\\']) {
        expect(await listJson(['--all', '--search', needle]), needle).toEqual([]);
      }
      expect((await listJson(['--all', '--search', "o'brien"])).length).toBeGreaterThan(0);
    });

    it('filters combine, and sort and limit apply to the filtered rows', async () => {
      const group = GROUPS[0].name;
      const want = expectedNumbers((a) => a.groupName === group && a.collection > 0 && a.total >= 10_000, 'collection', 5);
      expect(want.length).toBeGreaterThan(1);
      expect(numbers(await listJson(['--group', group, '--in-collections', '--min-total', '100', '--sort', 'collection', '--limit', '5']))).toEqual(want);
    });

    it('--csv has the JSON fields as columns, RFC 4180 quoting, and agencies joined by "; "', async () => {
      const result = await pops(['--db', db, 'accounts', 'list', '--all', '--csv']);
      expect(result.code).toBe(0);
      const records: string[][] = parseCsv(result.stdout);
      expect(records[0]).toEqual([
        'accountNumber',
        'guarantor',
        'group',
        'nonCollectionBalance',
        'collectionBalance',
        'totalBalance',
        'preCollectionsBalance',
        'amountDue',
        'unappliedFunds',
        'collectionAgencies',
        'encountersInCollections',
      ]);
      const want = [...expected].sort(byAccount).filter((a) => a.json.accountNumber !== HOSTILE_ACCOUNT);
      const got = records.slice(1).filter((r) => r[0] !== HOSTILE_ACCOUNT);
      expect(got).toEqual(
        want.map((a) => [
          a.json.accountNumber,
          a.json.guarantor,
          a.json.group,
          a.json.nonCollectionBalance,
          a.json.collectionBalance,
          a.json.totalBalance,
          a.json.preCollectionsBalance,
          a.json.amountDue,
          a.json.unappliedFunds,
          a.json.collectionAgencies.join('; '),
          String(a.json.encountersInCollections),
        ]),
      );
      // Quotes doubled inside quoted cells; names with commas quoted.
      expect(result.stdout).toContain('"Acme ""Fast"" Collections, Inc."');
      expect(result.stdout).toContain('"Smith, Jr., ');
      expect(result.stdout).toContain('"South Clinic, ""Main"""');
      expect(got.some((r) => r[9].includes('; '))).toBe(true);
      expect(AGENCIES.length).toBe(4);
    });

    it('a table shows Account, Guarantor, Group and the three balances, money right-aligned, with no ANSI when piped', async () => {
      const result = await pops(['--db', db, 'accounts', 'list', '--sort', 'total', '--limit', '5']);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/\u001b/);
      expect(result.stderr).toBe(''); // the summary line is for terminals only
      const header = result.stdout.split('\n').find((l) => l.includes('Account'))!;
      expect(
        header
          .split('│')
          .map((c) => c.trim())
          .filter(Boolean),
      ).toEqual(['Account', 'Guarantor', 'Group', 'Non-Collection', 'Collection', 'Total']);
      const top = [...expected].sort(SORTS.total)[0];
      const row = result.stdout.split('\n').find((l) => l.includes(` ${top.json.accountNumber} `))!;
      const money = (cents: number): string => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
      expect(row).toMatch(new RegExp(` ${money(top.total).replace(/[$.]/g, '\\$&')} │$`));
    });

    it('negative balances show as -$12.00 in a table', async () => {
      const credit = [...expected].sort(SORTS['non-collection']).at(-1)!;
      expect(credit.nonCollection).toBeLessThan(0);
      const result = await pops(['--db', db, 'accounts', 'list', '--search', credit.json.accountNumber]);
      expect(result.stdout).toContain(`-$${(-credit.nonCollection / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`);
    });

    it('a guarantor name with escape sequences and control characters never reaches stdout raw (table, CSV)', async () => {
      const table = await pops(['--db', db, 'accounts', 'list', '--search', HOSTILE_ACCOUNT]);
      const csv = await pops(['--db', db, 'accounts', 'list', '--csv', '--search', HOSTILE_ACCOUNT]);
      for (const output of [table.stdout, csv.stdout]) {
        expect(output).toContain('Alert');
        expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      }
      // JSON carries the name, escaped by JSON's own rules.
      const json = await pops(['--db', db, 'accounts', 'list', '--json', '--search', HOSTILE_ACCOUNT]);
      expect(json.stdout).toContain('Red\\u001b[31mAlert');
      expect(json.stdout).not.toMatch(/\u001b/);
    });

    it('invalid usage is exit 2 and an unknown group exit 3, with one message line and nothing on stdout', async () => {
      const cases: [string[], number, RegExp][] = [
        [['--sort', 'balance'], 2, /--sort/],
        [['--limit', '0'], 2, /--limit/],
        [['--limit', '-3'], 2, /--limit/],
        [['--limit', '2.5'], 2, /--limit/],
        [['--limit', 'ten'], 2, /--limit/],
        [['--limit', '5', '--all'], 2, /--limit and --all/],
        [['--min-total', '12.345'], 2, /--min-total/],
        [['--min-total', 'lots'], 2, /--min-total/],
        [['--json', '--csv'], 2, /--json and --csv/],
        [['--search', ''], 2, /--search/],
        [['--limit'], 2, /--limit/],
        [['--group', 'No Such Group'], 3, /no such group/],
        [['--group', '999'], 3, /no such group/],
      ];
      const before = storeDigest(db);
      for (const [args, code, message] of cases) {
        const result = await pops(['--db', db, 'accounts', 'list', ...args]);
        expect(result.code, args.join(' ')).toBe(code);
        expect(result.stdout, args.join(' ')).toBe('');
        expect(result.stderr, args.join(' ')).toMatch(message);
        expect(result.stderr.startsWith('pops: '), args.join(' ')).toBe(true);
      }
      expect(storeDigest(db)).toBe(before);
    });

    it('on a terminal, a table is followed on stderr by "Showing N of M accounts" and the totals over all matching accounts', async () => {
      const run = (args: string[], stderrIsTTY: boolean) => pops(['--db', db, 'accounts', 'list', ...args], { terminal: { stderr: stderrIsTTY } });
      const group = GROUPS[0].name;
      const matching = expected.filter((a) => a.groupName === group);
      const sum = (f: (a: ExpectedAccount) => number): number => matching.reduce((s, a) => s + f(a), 0);
      const money = (cents: number): string => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
      const result = await run(['--group', group, '--limit', '3'], true);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        `Showing 3 of ${matching.length} accounts · Non-Collection ${money(sum((a) => a.nonCollection))} · Collection ${money(sum((a) => a.collection))}\n`,
      );
      expect((await run(['--group', group, '--limit', '3'], false)).stderr).toBe('');
      expect((await run(['--group', group, '--limit', '3', '--json'], true)).stderr).toBe('');
    });

    it('a table with no matching account prints nothing on stdout and says so on stderr', async () => {
      const result = await pops(['--db', db, 'accounts', 'list', '--search', 'no such guarantor']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('pops: no accounts match\n');
    });

    it('listing never writes to the store', async () => {
      const before = storeDigest(db);
      await pops(['--db', db, 'accounts', 'list', '--all', '--sort', 'name', '--search', 'riv']);
      expect(storeDigest(db)).toBe(before);
    });
  });
});
