// pops import reports a document's problems in one run — schema, cross-field and
// store conflicts together (docs/formats.md, "How import checks a dump") — refuses
// a document nested too deeply with exit 2, and says so when stdin is empty.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

// Import holds on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  /** A store holding account 10042 (encounter 777) and the group Lakeside Pediatrics. */
  let template: string;
  beforeAll(async () => {
    template = await makeStore({ dump: baseDump({ accounts: [account('10042', { encounters: [encounter({ number: 777, lines: [] })] })] }) }, backend);
  });

  async function importInto(db: string, document: unknown, ...flags: string[]) {
    return pops(['--db', db, 'import', '-', ...flags], { input: JSON.stringify(document) });
  }

  function problemLines(stderr: string): string[] {
    return stderr.split('\n').filter(Boolean);
  }

  describe('one run reports every kind of problem', () => {
    const mixed = () =>
      baseDump({
        groups: [{ name: 'Harbor Dermatology' }, { name: 'harbor dermatology' }],
        accounts: [
          // schema: money with three decimals
          account('20001', { encounters: [encounter({ lines: [line(1, { billed: '12.345' })] })] }),
          // cross-field: the same account number twice
          account('20002'),
          account('20002'),
          // store: an account number the store holds, and an encounter number it holds
          account('10042'),
          account('20003', { encounters: [encounter({ number: 777, lines: [] })] }),
          // reference: a group neither in the dump nor in the store
          account('20004', { group: 'Nowhere Clinic' }),
        ],
      });

    it('schema, cross-field, store conflicts and unresolved references, each on its own line; nothing written', async () => {
      const db = await makeStore({ dump: baseDump({ accounts: [account('10042', { encounters: [encounter({ number: 777, lines: [] })] })] }) }, backend);
      const before = storeDigest(db);
      const result = await importInto(db, mixed());
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(problemLines(result.stderr)).toEqual([
        'pops: accounts[0].encounters[0].lines[0].billed: expected money with at most 2 decimals, got "12.345"',
        'pops: groups[1].name: duplicate group name "harbor dermatology" (also groups[0])',
        'pops: accounts[2].accountNumber: duplicate account number "20002" (also accounts[1])',
        "pops: accounts[3].accountNumber: account 10042 already exists in the store (use --replace to replace the store's content)",
        'pops: accounts[4].encounters[0].number: encounter 777 already exists in the store',
        'pops: accounts[5].group: no such group "Nowhere Clinic"',
      ]);
      expect(storeDigest(db)).toBe(before);
    });

    it('with --replace the store is to be emptied: no conflicts with it, references against the dump alone', async () => {
      const db = await makeStore({ dump: baseDump({ groups: [{ name: 'Old Clinic' }], accounts: [account('10042', { group: 'Old Clinic' })] }) }, backend);
      const before = storeDigest(db);
      const document = baseDump({ accounts: [account('10042', { group: 'Old Clinic', unappliedFunds: 'lots' })] });
      const result = await importInto(db, document, '--replace');
      expect(result.code).toBe(2);
      expect(problemLines(result.stderr)).toEqual([
        'pops: accounts[0].unappliedFunds: expected money with at most 2 decimals, got "lots"',
        'pops: accounts[0].group: no such group "Old Clinic"',
      ]);
      expect(storeDigest(db)).toBe(before);
    });

    it('one line per place: a value the schema refuses is not judged again by the cross-field rules', async () => {
      const document = baseDump({
        groups: [],
        accounts: [account('20010', { encounters: [encounter({ status: 'collections', collectionAgency: 5, lines: [] })] })],
      });
      const result = await importInto(template, document);
      expect(result.code).toBe(2);
      expect(problemLines(result.stderr)).toEqual(['pops: accounts[0].encounters[0].collectionAgency: expected string, got 5']);
    });

    it('a reference is not called unresolved while the list it could name has a broken entry', async () => {
      const document = baseDump({
        groups: [],
        facilities: [{ code: 'MAIN', name: 'Lakeside Main Clinic' }, { code: 'BAD CODE!', name: 'East' }, { name: 'No code' }],
        accounts: [account('20011', { encounters: [encounter({ facility: 'EAST', lines: [] })] })],
      });
      const result = await importInto(template, document);
      expect(result.code).toBe(2);
      expect(problemLines(result.stderr).map((l) => l.split(':')[1].trim())).toEqual(['facilities[1].code', 'facilities[2].code']);
    });

    it('stops at 50 lines however many problems there are', async () => {
      const accounts = Array.from({ length: 40 }, (_, i) => account(`D${i}`, { unappliedFunds: 'x' }));
      accounts.push(...Array.from({ length: 40 }, (_, i) => account(`D${i}`)));
      const result = await importInto(template, baseDump({ groups: [], accounts }));
      expect(result.code).toBe(2);
      const lines = problemLines(result.stderr);
      expect(lines).toHaveLength(51);
      expect(lines[50]).toBe('pops: 30 more not shown');
    });

    it('a valid dump still imports, and says what it imported in words that agree in number', async () => {
      const db = await makeStore({}, backend);
      const result = await importInto(db, baseDump({ accounts: [account('1', { encounters: [encounter({ lines: [line(1, { billed: '5.00' })] })] })] }));
      expect(result).toEqual({ code: 0, stdout: '', stderr: 'pops: imported 1 group, 1 account, 1 encounter, 1 line item\n' });
    });
  });

  describe('a document nested too deeply', () => {
    const deep = (depth: number) => `{"format":"pops-dump","version":1,"accounts":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    it.each([
      // import reads the dump as a stream, and names the place where the 101st level opens
      [
        'import',
        ['import', '-'],
        'pops: stdin: JSON nested too deeply at byte 144 (line 1, column 145), in accounts[0]: more than 100 levels of arrays and objects\n',
      ],
      ['groups apply', ['groups', 'apply', '-', '--format', 'json'], 'pops: stdin: JSON nested too deeply (more than 100 levels of arrays and objects)\n'],
    ])('%s: exit 2 with a plain message, no stack trace, nothing written', async (_what, args, stderr) => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, ...args], { input: deep(100_000) });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr });
      expect(storeDigest(db)).toBe(before);
    });

    it('a modest depth is judged by the dump rules as usual', async () => {
      const result = await pops(['--db', template, 'import', '-'], { input: deep(20) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: accounts\[0\]: expected object, got \[\[\[/);
    });
  });

  describe('empty stdin', () => {
    it.each([
      ['import', ['import', '-']],
      ['groups apply', ['groups', 'apply', '-', '--format', 'csv']],
    ])('%s: "no input on stdin", exit 2, also when stdin holds only blank lines', async (_what, args) => {
      for (const input of ['', '   \n\n']) {
        const result = await pops(['--db', template, ...args], { input });
        expect(result.code).toBe(2);
        expect(result.stderr.split('\n')[0]).toBe('pops: no input on stdin');
      }
    });
  });
});
