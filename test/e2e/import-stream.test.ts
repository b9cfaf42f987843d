// pops import reads the dump as a stream (docs/formats.md, "How import reads a
// dump"): the top-level fields may come in any order, and a dump that is cut
// short, not UTF-8, or holds a value no dump holds fails with one line naming
// the place (byte, line, column, element), exit 2, the store unchanged.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, BIN, childEnv, makeStore, pops, storeDigest, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

/** Over 1 MiB, so a file is read in several chunks. */
const dump = generateDump(20261201, 800);
const text = JSON.stringify(dump, null, 2);
const folder = tempDir();
const normalFile = path.join(folder, 'normal.json');
fs.writeFileSync(normalFile, text);

async function exportOf(db: string): Promise<string> {
  const result = await pops(['--db', db, 'export']);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

// Import holds on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('the top-level fields in any order', () => {
    it('accounts before the groups, agencies, facilities and providers they name: the same store as in the usual order', async () => {
      expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
      const usual = await makeStore({}, backend);
      const imported = await pops(['--db', usual, 'import', normalFile]);
      expect(imported.code, imported.stderr).toBe(0);

      const reversed = Object.fromEntries(Object.entries(dump).reverse());
      expect(Object.keys(reversed)[0]).toBe('accounts');
      const reversedFile = path.join(folder, 'reversed.json');
      fs.writeFileSync(reversedFile, JSON.stringify(reversed, null, 2));
      const other = await makeStore({}, backend);
      const result = await pops(['--db', other, 'import', reversedFile]);
      expect(result).toEqual({ code: 0, stdout: '', stderr: imported.stderr });
      expect(await exportOf(other)).toBe(await exportOf(usual));
    });

    it('a reference that no list after it provides is still unresolved, reported once the document is read', async () => {
      const db = await makeStore({}, backend);
      const before = storeDigest(db);
      const { accounts: _none, ...lists } = baseDump();
      const document = {
        accounts: [account('A-1', { group: 'Nowhere Clinic' }), account('A-2', { encounters: [encounter({ facility: 'EAST', lines: [] })] })],
        ...lists,
      };
      const result = await pops(['--db', db, 'import', '-'], { input: JSON.stringify(document) });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'pops: accounts[0].group: no such group "Nowhere Clinic"\npops: accounts[1].encounters[0].facility: no such facility "EAST"\n',
      );
      expect(storeDigest(db)).toBe(before);
    });

    it('a field named __proto__ is a field like any other: an unknown one', async () => {
      const db = await makeStore({}, backend);
      for (const text of ['{"__proto__":{"format":"pops-dump","version":1}}', '{"format":"pops-dump","version":1,"__proto__":{"groups":[{"name":"X"}]}}']) {
        const result = await pops(['--db', db, 'import', '-'], { input: text });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('pops: __proto__: unknown field\n');
      }
    });

    it('a document that is not an object, or in UTF-16: one line saying so', async () => {
      const db = await makeStore({}, backend);
      const array = await pops(['--db', db, 'import', '-'], { input: JSON.stringify([baseDump()]) });
      expect(array).toMatchObject({
        code: 2,
        stderr: 'pops: stdin: not a pops dump: a dump is a JSON object ({"format": "pops-dump", …}), this is an array\n',
      });
      const file = path.join(tempDir(), 'utf16.json');
      fs.writeFileSync(file, Buffer.from(`\ufeff${JSON.stringify(baseDump())}`, 'utf16le'));
      const utf16 = await pops(['--db', db, 'import', file]);
      expect(utf16.code).toBe(2);
      expect(utf16.stderr.split('\n')[0]).toBe(`pops: ${file}: not valid UTF-8 text: it begins with a UTF-16 byte order mark`);
    });

    it('a field given twice is a problem, not silently the last one', async () => {
      const db = await makeStore({}, backend);
      const body = JSON.stringify(baseDump());
      const twice = `${body.slice(0, -1)},"accounts":[]}`;
      const result = await pops(['--db', db, 'import', '-'], { input: twice });
      expect(result).toMatchObject({ code: 2, stderr: 'pops: accounts: the field appears more than once in the document\n' });
    });
  });
});

describe('a dump that cannot be read: one line with its place, exit 2, nothing written', () => {
  async function refused(bytes: Buffer): Promise<{ stderr: string; file: string }> {
    const db = await makeStore({ dump: baseDump({ accounts: [account('10042')] }) });
    const before = storeDigest(db);
    const file = path.join(tempDir(), 'dump.json');
    fs.writeFileSync(file, bytes);
    const result = await pops(['--db', db, 'import', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(storeDigest(db)).toBe(before);
    return { stderr: result.stderr, file };
  }

  it('cut short in the middle (a copy that stopped): where it ends, in which account', async () => {
    const bytes = Buffer.from(text);
    const cut = Math.floor(bytes.length * 0.6);
    const { stderr, file } = await refused(bytes.subarray(0, cut));
    const lines = bytes.subarray(0, cut).toString('utf8').split('\n').length;
    expect(stderr).toMatch(
      new RegExp(
        `^pops: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: malformed JSON: the document ends early.* at byte ${cut} \\(line ${lines}, column \\d+\\), in accounts\\[\\d+\\]\\n$`,
      ),
    );
  });

  it('an invalid UTF-8 byte deep in the file: its byte offset, and how to fix it', async () => {
    const bytes = Buffer.from(text);
    const at = bytes.indexOf('"lastName"', Math.floor(bytes.length * 0.7)) + '"lastName": "'.length;
    bytes[at] = 0xff;
    const { stderr, file } = await refused(bytes);
    const [first, hint] = stderr.split('\n');
    expect(first).toMatch(
      new RegExp(`^pops: .*${path.basename(file)}: not valid UTF-8 text at byte ${at} \\(line \\d+, column \\d+\\), in accounts\\[\\d+\\]$`),
    );
    expect(hint).toMatch(/^A pops dump is UTF-8 JSON, as pops export writes it/);
  });

  it.each([
    ['1e400', 'a number too large to hold'],
    ['12345678901234567890', 'a number too large to hold exactly'],
  ])('a number too large (%s): one line naming the field', async (number, words) => {
    // The store holds the group and the codes already: the dump names them only.
    const body = JSON.stringify(
      baseDump({ groups: [], accounts: [account('A-1', { encounters: [encounter({ number: 424242, lines: [line(1, { billed: '1.00' })] })] })] }),
    );
    const { stderr } = await refused(Buffer.from(body.replace('424242', number)));
    expect(stderr).toBe(`pops: accounts[0].encounters[0].number: expected a whole number from 1 to 9007199254740991, got ${words}\n`);
  });
});

describe('memory stays bounded on hostile input (the real binary)', () => {
  /** Peak resident memory (MiB) of `pops <args>`, reported by the process itself as it exits (Linux). */
  function runMeasured(args: string[]): { code: number | null; stderr: string; peakMiB: number } {
    const report = path.join(tempDir(), 'rss.txt');
    const preload = path.join(tempDir(), 'report-rss.cjs');
    // VmHWM, the peak of this process's own memory: getrusage's maxRSS would count the test runner's too (Linux keeps it across exec).
    fs.writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]));\n`,
    );
    const result = spawnSync(process.execPath, ['--require', preload, BIN, ...args], { env: childEnv(), encoding: 'utf8', timeout: 90_000 });
    return { code: result.status, stderr: result.stderr, peakMiB: Number(fs.readFileSync(report, 'utf8')) / 1024 };
  }

  it('a 100 MB string: refused once the value passes 16 MiB, without ever holding it', async () => {
    const db = await makeStore();
    const file = path.join(tempDir(), 'huge.json');
    const prefix = '{"format":"pops-dump","version":1,"accounts":[{"accountNumber":"1","guarantor":{"firstName":"';
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, prefix);
    const block = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 100; i += 1) fs.writeSync(fd, block);
    fs.writeSync(fd, '"}}]}');
    fs.closeSync(fd);
    const before = storeDigest(db);
    const result = runMeasured(['--db', db, 'import', file]);
    expect(result.code).toBe(2);
    const start = prefix.indexOf('[{') + 1;
    expect(result.stderr).toBe(
      `pops: ${file}: accounts[0] (from byte ${start} (line 1, column ${start + 1})) is larger than 16 MiB, the most one entry of a dump may hold\n`,
    );
    // About 90 MiB: the 16 MiB read so far on top of Node itself. Holding the file (100 MiB) would be well above this.
    expect(result.peakMiB).toBeLessThan(150);
    expect(storeDigest(db)).toBe(before);
  });
});
