// CSV for `groups apply` as spreadsheets save it (docs/formats.md, "The groups apply
// format"): trailing empty header columns, short rows, a byte-order mark and CRLF
// line ends are accepted; a semicolon-separated file gets a hint.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest, tempDir, type Backend } from '../helpers/cli.js';

function csvFile(content: string): string {
  const file = path.join(tempDir(), 'groups.csv');
  fs.writeFileSync(file, content);
  return file;
}

/** The store the tests of the current block run on (set by each block's beforeAll). */
let current: Backend = 'sqlite';

async function apply(content: string): Promise<{ db: string; before: string; code: number; stdout: string; stderr: string }> {
  const db = await makeStore({ demo: true }, current);
  const before = storeDigest(db);
  const result = await pops(['--db', db, 'groups', 'apply', csvFile(content), '--json']);
  return { db, before, ...result };
}

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  beforeAll(() => {
    current = backend;
  });

  describe('groups apply CSV from a spreadsheet', () => {
    it('accepts a header ending in empty columns whose cells are all empty', async () => {
      const result = await apply('name,autoPost,,\nLakeside Pediatrics,on,,\nRiverbend Orthopedics,on\n');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).changed.map((c: { group: string }) => c.group)).toEqual(['Lakeside Pediatrics', 'Riverbend Orthopedics']);
    });

    it('refuses a value under a trailing empty column (exit 2, nothing written)', async () => {
      const result = await apply('name,autoPost,,\nLakeside Pediatrics,on,,\nRiverbend Orthopedics,on,,oops\n');
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('pops: line 3: cell 4 has a value, but the header has 2 columns\n');
      expect(storeDigest(result.db)).toBe(result.before);
    });

    it('reads a row shorter than the header as empty cells for the missing columns (they stay as they are)', async () => {
      const result = await apply('name,autoPost,footerText,footerEmail\nLakeside Pediatrics,on\nRiverbend Orthopedics,,Closed Mondays\n');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).changed).toEqual([
        { group: 'Lakeside Pediatrics', changes: [{ field: 'autoPost', from: false, to: true }] },
        { group: 'Riverbend Orthopedics', changes: [{ field: 'footerText', from: null, to: 'Closed Mondays' }] },
      ]);
    });

    it('hints that a header split by ; (and not by ,) looks semicolon-separated', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const file = csvFile('name;autoPost;footerText\nLakeside Pediatrics;on;Closed\n');
      const result = await pops(['--db', db, 'groups', 'apply', file]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const [message, hint, ...rest] = result.stderr.split('\n');
      expect(message).toBe(`pops: ${file}: line 1: expected a header of name and setting names separated by commas, got "name;autoPost;footerText"`);
      expect(hint).toMatch(/the file looks semicolon-separated/i);
      expect(rest).toEqual(['']);
      expect(storeDigest(db)).toBe(before);
    });

    it("gives the same hint for a semicolon file with quoted cells (a re-saved export), not the parser's words", async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const file = csvFile('name;footerPhone;footerText\nLakeside Pediatrics;"\'+13125550142";"Closed; Mondays"\n');
      const result = await pops(['--db', db, 'groups', 'apply', file, '--dry-run']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `pops: ${file}: line 1: expected a header of name and setting names separated by commas, got "name;footerPhone;footerText"\nThe file looks semicolon-separated: save it as comma-separated CSV.\n`,
      );
      expect(storeDigest(db)).toBe(before);
    });

    it('a header with one column and no semicolon is not taken for a semicolon file', async () => {
      const result = await apply('name\nLakeside Pediatrics\n');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).unchanged).toBe(1);
    });

    it('reads a UTF-8 byte-order mark and CRLF line ends, keeping line numbers and multi-line cells right', async () => {
      const content =
        '\ufeffname,footerText,footerPhone,,\r\nLakeside Pediatrics,"Closed Mondays\r\nOpen Tuesdays",(312) 555-0199,,\r\n,,,,\r\nRiverbend Orthopedics,,,,\r\n';
      const result = await apply(content);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).changed).toEqual([
        {
          group: 'Lakeside Pediatrics',
          changes: [
            { field: 'footerPhone', from: '+13125550142', to: '+13125550199' },
            { field: 'footerText', from: 'Office hours: Mon–Fri 8:00–17:00', to: 'Closed Mondays\nOpen Tuesdays' },
          ],
        },
      ]);

      const bad = await apply('\ufeffname,footerPhone\r\nLakeside Pediatrics,(312) 555-0199\r\nRiverbend Orthopedics,12\r\n');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^pops: line 3: footerPhone: /);
    });

    it('a file a spreadsheet saved in Windows-1252 (not UTF-8): exit 2, and how to save it right', async () => {
      // "Mon–Fri" with the en dash as Windows-1252 writes it: one byte, 0x96.
      const latin = Buffer.concat([Buffer.from('name,footerText\r\nLakeside Pediatrics,Mon'), Buffer.from([0x96]), Buffer.from('Fri\r\n')]);
      const file = path.join(tempDir(), 'groups.csv');
      fs.writeFileSync(file, latin);
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'apply', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `pops: ${file}: not valid UTF-8 text\nSave it as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8 (Comma delimited)"), then try again.\n`,
      );
      expect(storeDigest(db)).toBe(before);
    });
  });
});
