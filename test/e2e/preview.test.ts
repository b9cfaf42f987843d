// pops preview (SPEC §8) on real temporary stores; the runs that hand pages to
// the snapshot writer thread (which only the bundle has) run the real binary.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, popsBinary, storeDigest, storeSql, tempDir } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { generateDump } from '../helpers/account-generator.js';
import { snapshotPath } from '../../src/render/snapshots.js';

const ANSI = /\u001b/;

function expectPage(text: string, width: number): void {
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toMatch(ANSI);
  for (const row of text.slice(0, -1).split('\n')) {
    expect([...row].length).toBeLessThanOrEqual(width);
    expect(row).not.toMatch(/\s$/);
  }
}

const sql = storeSql;

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('pops preview <account>', () => {
    let demo: string;
    beforeAll(async () => {
      demo = await makeStore({ demo: true }, backend);
    });

    it('shows account 10004 with its collection balance, agency and footer number to call', async () => {
      const result = await pops(['--db', demo, 'preview', '10004']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Lakeside Pediatrics');
      expect(result.stdout).toContain('Account 10004');
      expect(result.stdout).toContain('Collection Balance');
      expect(result.stdout).toMatch(/Amount in Collections +\$240\.00/);
      expect(result.stdout).toContain('Summit Recovery Services');
      expect(result.stdout).toContain('call (312) 555-0142');
      expect(result.stdout).toContain('[ Pay Now ]');
      // Piped: no color, 80 columns.
      expectPage(result.stdout, 80);
      expect(result.stdout.split('\n').some((row) => [...row].length === 80)).toBe(true);
    });

    it('is byte-for-byte the same on every run, and leaves the store unchanged', async () => {
      const before = storeDigest(demo);
      const first = await pops(['--db', demo, 'preview', '10004', '--width', '100']);
      const second = await pops(['--db', demo, 'preview', '10004', '--width', '100']);
      expect(first.stdout).toBe(second.stdout);
      expectPage(first.stdout, 100);
      expect(storeDigest(demo)).toBe(before);
    });

    it('warns on stderr when the group has no footer number, and tells the patient to contact the office', async () => {
      const result = await pops(['--db', demo, 'preview', '10003']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Collection Balance');
      expect(result.stdout).toContain('Midwest Credit Partners');
      expect(result.stdout).toContain('contact the office');
      expect(result.stderr).toMatch(/^pops: warning: group "Riverbend Orthopedics" has no footer number/);
    });

    it('--group renders the account through another group', async () => {
      const result = await pops(['--db', demo, 'preview', '10004', '--group', 'northshore family medicine']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Northshore Family Medicine');
      expect(result.stdout).not.toContain('Lakeside Pediatrics');
      // Show Collections is off there: no panel, though the balance is the same.
      expect(result.stdout).not.toContain('Collection Balance');
      expect(result.stdout).not.toContain('Amount in Collections');
      expect(result.stdout).toContain('(773) 555-0188 ext. 12');
      expect(result.stderr).toBe('');
    });

    it('--group through a group with Show Collections on but no footer number warns', async () => {
      const result = await pops(['--db', demo, 'preview', '10004', '--group', 'Riverbend Orthopedics']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('$240.00');
      expect(result.stdout).toContain('contact the office');
      expect(result.stderr).toContain('no footer number');
    });

    it.each([60, 200])('--width %i fits every line in the width', async (width) => {
      const result = await pops(['--db', demo, 'preview', '10015', '--width', String(width)]);
      expect(result.code).toBe(0);
      expectPage(result.stdout, width);
    });

    it('a group with the Account dashboard off shows the header and one notice (exit 0)', async () => {
      const db = await makeStore(
        {
          dump: baseDump({
            groups: [{ name: 'Quiet Clinic', accountDashboard: false, footerPhone: '312-555-0142' }],
            accounts: [account('777', { group: 'Quiet Clinic' })],
          }),
        },
        backend,
      );
      const result = await pops(['--db', db, 'preview', '777']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Account 777');
      expect(result.stdout).toContain('The Account page is turned off for this group.');
      expect(result.stdout).not.toContain('Account Summary');
      expect(result.stdout).not.toContain('(312) 555-0142');
    });

    it('never writes store text raw: escapes and control characters are neutralized', async () => {
      const evil = 'Eve\u001b]8;;http://evil\u0007click\u001b[2J\u202e\u0085';
      const dump = baseDump({
        accounts: [
          account('666', {
            guarantor: { firstName: evil, lastName: 'Doe' },
            patients: [{ id: 'P1', firstName: evil, lastName: 'Doe' }],
            encounters: [encounter({ lines: [line(1, { billed: '10.00' })] })],
          }),
        ],
      });
      const db = await makeStore({ dump }, backend);
      const result = await pops(['--db', db, 'preview', '666']);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(result.stdout).toContain('Eve');
    });

    describe('errors', () => {
      it.each([
        [['preview'], 2],
        [['preview', '10004', '--width', '59'], 2],
        [['preview', '10004', '--width', '201'], 2],
        [['preview', '10004', '--width', 'wide'], 2],
        [['preview', '10004', '--width'], 2],
        [['preview', '10004', '--all', '--out', 'x'], 2],
        [['preview', '10004', '--out', 'x'], 2],
        [['preview', '--all'], 2],
        [['preview', '--all', '--out', 'x', '--check', 'y'], 2],
        [['preview', '--out', 'x'], 2],
        [['preview', '99999'], 3],
        [['preview', '10004', '--group', 'No Such Group'], 3],
        [['preview', '--all', '--group', 'No Such Group', '--out', 'x'], 3],
      ])('pops %j exits %i with one message on stderr', async (args, code) => {
        // The folders named x and y would go in an empty folder of their own: nothing may appear there.
        const dir = tempDir();
        const result = await pops(['--db', demo, ...(args as string[]).map((arg) => (arg === 'x' || arg === 'y' ? path.join(dir, arg) : arg))]);
        expect(result.code).toBe(code);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^pops: /);
        expect(fs.readdirSync(dir)).toEqual([]);
      });

      it('--check on a directory that does not exist exits 2', async () => {
        const result = await pops(['--db', demo, 'preview', '--all', '--check', path.join(tempDir(), 'nope')]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('snapshot directory not found');
      });
    });
  });

  describe('pops preview --all snapshots', () => {
    it('--out writes one file per account, <group-slug>/<account>.txt, the same page as preview at 80 columns', async () => {
      const db = await makeStore({ demo: true }, backend);
      const dir = path.join(tempDir(), 'snapshots');
      const result = await pops(['--db', db, 'preview', '--all', '--out', dir]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('wrote 36 snapshots');
      expect(result.stderr).toContain('group "Riverbend Orthopedics" has no footer number');
      expect(fs.readdirSync(dir).sort()).toEqual(['lakeside-pediatrics', 'northshore-family-medicine', 'riverbend-orthopedics']);
      const files = fs.readdirSync(dir).flatMap((sub) => fs.readdirSync(path.join(dir, sub)));
      expect(files).toHaveLength(36);
      const page = fs.readFileSync(path.join(dir, 'lakeside-pediatrics', '10004.txt'), 'utf8');
      expect(page).toBe((await pops(['--db', db, 'preview', '10004'])).stdout);
      expect(page).toContain('$240.00');
    });

    it('--check right after --out finds nothing (exit 0); --group limits both to one group', async () => {
      const db = await makeStore({ demo: true }, backend);
      const dir = path.join(tempDir(), 'snapshots');
      expect((await pops(['--db', db, 'preview', '--all', '--out', dir, '--width', '100'])).code).toBe(0);
      const check = await pops(['--db', db, 'preview', '--all', '--check', dir, '--width', '100']);
      expect(check.code).toBe(0);
      expect(check.stdout).toBe('0 changed, 0 new, 0 missing, 36 unchanged\n');

      const one = path.join(tempDir(), 'one');
      expect((await pops(['--db', db, 'preview', '--all', '--group', 'Lakeside Pediatrics', '--out', one])).code).toBe(0);
      expect(fs.readdirSync(one)).toEqual(['lakeside-pediatrics']);
      const checkOne = await pops(['--db', db, 'preview', '--all', '--group', 'lakeside pediatrics', '--check', one]);
      expect(checkOne.code).toBe(0);
      expect(checkOne.stdout).toMatch(/^0 changed, 0 new, 0 missing, \d+ unchanged\n$/);
      // Checked at another width, every page differs.
      const wider = await pops(['--db', db, 'preview', '--all', '--group', 'Lakeside Pediatrics', '--check', one, '--width', '90']);
      expect(wider.code).toBe(1);
      expect(wider.stdout).toMatch(/^changed lakeside-pediatrics\/10001\.txt$/m);
    });

    it('after the store changes, --check lists changed, new and missing files, a diff of each change, and a summary (exit 1)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const dir = path.join(tempDir(), 'snapshots');
      expect((await pops(['--db', db, 'preview', '--all', '--out', dir])).code).toBe(0);

      // A footer number for Riverbend changes each of its pages; a new account appears; one goes away.
      sql(db, "UPDATE groups SET footer_phone = '+13125550100' WHERE name = 'Riverbend Orthopedics'");
      sql(db, "DELETE FROM accounts WHERE account_number = '10036'");
      const imported = await pops(['--db', db, 'import', '-'], {
        input: JSON.stringify({
          ...baseDump({ groups: [], collectionAgencies: [], facilities: [], providers: [] }),
          accounts: [account('20001', { encounters: [encounter({ lines: [line(1, { billed: '50.00' })] })] })],
        }),
      });
      expect(imported.code, imported.stderr).toBe(0);

      const result = await pops(['--db', db, 'preview', '--all', '--check', dir]);
      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      const statusLines = lines.filter((l) => /^(changed|new|missing) /.test(l));
      expect(statusLines).toContain('new lakeside-pediatrics/20001.txt');
      expect(statusLines).toContain('missing riverbend-orthopedics/10036.txt');
      expect(statusLines).toContain('changed riverbend-orthopedics/10003.txt');
      expect(statusLines.every((l) => !l.startsWith('changed ') || l.includes('riverbend-orthopedics/'))).toBe(true);
      // Sorted by path.
      const paths = statusLines.map((l) => l.slice(l.indexOf(' ') + 1));
      expect(paths).toEqual([...paths].sort());
      // The status lines come first, then the diffs, then the summary.
      expect(lines.slice(0, statusLines.length)).toEqual(statusLines);
      expect(result.stdout).toContain('--- a/riverbend-orthopedics/10003.txt');
      expect(result.stdout).toContain('+++ b/riverbend-orthopedics/10003.txt');
      expect(result.stdout).toMatch(/^-.*contact the office/m);
      expect(result.stdout).toMatch(/^\+Phone: \(312\) 555-0100$/m);
      const changed = statusLines.filter((l) => l.startsWith('changed ')).length;
      expect(result.stdout.endsWith(`${changed} changed, 1 new, 1 missing, ${36 - 1 - changed} unchanged\n`)).toBe(true);
      expect(result.stdout).not.toMatch(ANSI);
    });
  });
});

describe('pops preview --all over thousands of accounts', () => {
  // Enough accounts for --out to hand most pages to its writer thread (after the first 500).
  const COUNT = 2500;
  let db: string;
  let dump: Record<string, any>;
  let accountNumbers: string[];
  beforeAll(async () => {
    dump = generateDump(20_261_127, COUNT);
    accountNumbers = dump.accounts.map((a: { accountNumber: string }) => a.accountNumber);
    db = await makeStore({ dump });
  }, 120_000);

  const filesIn = (dir: string): Map<string, string> =>
    new Map(
      fs
        .readdirSync(dir)
        .flatMap((sub) => fs.readdirSync(path.join(dir, sub)).map((file) => [file.slice(0, -'.txt'.length), `${sub}/${file}`] as [string, string])),
    );

  it('--out writes every page once, most of them on its writer thread, and --check finds each page the same', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    // The writer thread runs only from the bundle: the real binary.
    const result = popsBinary(['--db', db, 'preview', '--all', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote ${COUNT} snapshots to ${dir} (written by a second thread)`);
    const files = filesIn(dir);
    expect([...files.keys()].sort()).toEqual([...accountNumbers].sort());

    const check = await pops(['--db', db, 'preview', '--all', '--check', dir]);
    expect(check.code, check.stdout.slice(0, 2000)).toBe(0);
    expect(check.stdout).toBe(`0 changed, 0 new, 0 missing, ${COUNT} unchanged\n`);
    // The warnings add up the same as --check's (one thread).
    const warnings = (text: string) => text.split('\n').filter((l) => l.includes('has no footer number'));
    expect(warnings(result.stderr)).toEqual(warnings(check.stderr));
    // First and last accounts (written by each thread): the page `preview <account>` prints.
    for (const number of [accountNumbers[0], accountNumbers[COUNT - 1]]) {
      expect(fs.readFileSync(path.join(dir, files.get(number)!), 'utf8')).toBe((await pops(['--db', db, 'preview', number])).stdout);
    }
  });

  it('a file the writer thread cannot write: exit 2, one line naming it, no stack trace', () => {
    // The last account's page is the writer thread's; a folder where it goes cannot be replaced by a file.
    const last = dump.accounts[COUNT - 1];
    const blocked = snapshotPath({ id: 0, name: last.group }, last.accountNumber);
    const dir = path.join(tempDir(), 'snapshots');
    fs.mkdirSync(path.join(dir, blocked), { recursive: true });
    const result = popsBinary(['--db', db, 'preview', '--all', '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: cannot write ${path.join(dir, blocked)}: it is a folder\n`);
  });
});

describe('pops preview --all --out into a place that cannot hold it', () => {
  it('exits 2 with one message instead of hanging (a path under /proc)', async () => {
    const db = await makeStore({ demo: true });
    const started = Date.now();
    const result = await pops(['--db', db, 'preview', '--all', '--out', '/proc/pops-snapshots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('pops: cannot write /proc/pops-snapshots: no folder can be made there\n');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('creates missing parent folders, 0700', async () => {
    const db = await makeStore({ demo: true });
    const out = path.join(tempDir(), 'a', 'b');
    expect((await pops(['--db', db, 'preview', '--all', '--out', out])).code).toBe(0);
    expect(fs.statSync(path.join(out, 'lakeside-pediatrics')).mode & 0o777).toBe(0o700);
  });
});
