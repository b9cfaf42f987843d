// Snapshots of any pages (docs/formats.md, "Preview snapshots"): `preview --all
// --out|--check <dir> --pages …` writes `<account>.txt` for the Account page
// (the v1 name) and `<account>.<page>.txt` for every other page, each the page
// `preview <account> --page <page>` prints; --check and the stale-file warning
// look only at the files of the requested pages, so v1 trees keep checking clean.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyStore, demoDump, makeStore, pops, popsBinary, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { groupSlug, snapshotFileName, snapshotFileView } from '../../src/render/snapshots.js';

const VIEWS = ['home', 'account', 'pay', 'receipts', 'statements', 'quickpay'] as const;

/** The file of one view: the v1 name for the Account page, `<account>.<view>.txt` for the others. */
const fileOf = (accountNumber: string, view: (typeof VIEWS)[number]): string => (view === 'account' ? `${accountNumber}.txt` : `${accountNumber}.${view}.txt`);

/** The text of every file under `dir`, by path relative to it (with `/`). */
function pages(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    found.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return found;
}

/** The `changed|new|missing <path>` lines of a --check report. */
const statusLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^(changed|new|missing) /.test(l));

const demoAccounts: { accountNumber: string; group: string }[] = demoDump().accounts;

describe('file names', () => {
  it('the Account page keeps <account>.txt; every other page is <account>.<page>.txt; a file counts with the page its name says', () => {
    expect(VIEWS.map((view) => snapshotFileName('10004', view))).toEqual([
      '10004.home.txt',
      '10004.txt',
      '10004.pay.txt',
      '10004.receipts.txt',
      '10004.statements.txt',
      '10004.quickpay.txt',
    ]);
    // The only dot is the one before the page, whatever the account number holds.
    expect(snapshotFileName('../x.home', 'pay')).toBe('___x_home.pay.txt');
    for (const view of VIEWS) expect(snapshotFileView(snapshotFileName('A-1', view))).toBe(view);
    // Any other .txt file counts with the Account page, as every .txt file did in v1.
    expect(snapshotFileView('notes.txt')).toBe('account');
    expect(snapshotFileView('10004.account.txt')).toBe('account');
    expect(snapshotFileView('10004.landing.txt')).toBe('account');
    expect(snapshotFileView('10004.home.txt.bak')).toBeUndefined();
  });
});

describe('pops preview --all --pages', () => {
  let demo: string;
  beforeAll(async () => {
    demo = await makeStore({ demo: true });
  });

  it('--pages all writes six files per account, each the page `preview <account> --page <page>` prints at 80 columns', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    const result = await pops(['--db', demo, 'preview', '--all', '--pages', 'all', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`pops: wrote ${36 * 6} snapshots to ${dir}\n`);

    const written = pages(dir);
    const expected = demoAccounts.flatMap((a) => VIEWS.map((view) => `${groupSlug(a.group)}/${fileOf(a.accountNumber, view)}`));
    expect([...written.keys()].sort()).toEqual(expected.sort());
    for (const a of demoAccounts) {
      for (const view of VIEWS) {
        const shown = await pops(['--db', demo, 'preview', a.accountNumber, ...(view === 'quickpay' ? ['--quickpay'] : ['--page', view]), '--width', '80']);
        expect(shown.code, shown.stderr).toBe(0);
        expect(written.get(`${groupSlug(a.group)}/${fileOf(a.accountNumber, view)}`), `${a.accountNumber} ${view}`).toBe(shown.stdout);
      }
    }
  });

  it('--check right after --out finds nothing (exit 0)', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    expect((await pops(['--db', demo, 'preview', '--all', '--pages', 'all', '--out', dir])).code).toBe(0);
    const check = await pops(['--db', demo, 'preview', '--all', '--pages', 'all', '--check', dir]);
    expect(check.code, check.stdout.slice(0, 2000)).toBe(0);
    expect(check.stdout).toBe(`0 changed, 0 new, 0 missing, ${36 * 6} unchanged\n`);
  });

  it('turning Show Escrow off for one group changes exactly its Home and Account pages', async () => {
    const db = copyStore(demo);
    const dir = path.join(tempDir(), 'snapshots');
    expect((await pops(['--db', db, 'preview', '--all', '--pages', 'all', '--out', dir])).code).toBe(0);
    const set = await pops(['--db', db, 'groups', 'set', 'Northshore Family Medicine', '--show-escrow', 'off']);
    expect(set.code, set.stderr).toBe(0);

    const check = await pops(['--db', db, 'preview', '--all', '--pages', 'all', '--check', dir]);
    expect(check.code).toBe(1);
    const northshore = demoAccounts.filter((a) => a.group === 'Northshore Family Medicine');
    const expected = northshore.flatMap((a) => [fileOf(a.accountNumber, 'home'), fileOf(a.accountNumber, 'account')]);
    expect(statusLines(check.stdout)).toEqual(expected.map((file) => `changed northshore-family-medicine/${file}`).sort());
    expect(check.stdout).toMatch(/^-.*Unapplied Funds/m);
    expect(check.stdout).not.toMatch(/^\+.*Unapplied Funds/m);
    expect(check.stdout.endsWith(`${expected.length} changed, 0 new, 0 missing, ${36 * 6 - expected.length} unchanged\n`)).toBe(true);
  });

  it('a v1 tree (the default pages) checks clean, and --pages account rewrites the same files and nothing else', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    const v1 = await pops(['--db', demo, 'preview', '--all', '--out', dir]);
    expect(v1.code).toBe(0);
    const tree = pages(dir);
    expect([...tree.keys()].sort()).toEqual(demoAccounts.map((a) => `${groupSlug(a.group)}/${a.accountNumber}.txt`).sort());

    for (const pagesOption of [[], ['--pages', 'account']]) {
      const check = await pops(['--db', demo, 'preview', '--all', ...pagesOption, '--check', dir]);
      expect(check.code, check.stdout).toBe(0);
      expect(check.stdout).toBe('0 changed, 0 new, 0 missing, 36 unchanged\n');
    }
    const again = await pops(['--db', demo, 'preview', '--all', '--pages', 'account', '--out', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(v1.stderr);
    expect(pages(dir)).toEqual(tree);
  });

  it('only the files of the requested pages count: other pages are neither missing for --check nor stale for --out', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    expect((await pops(['--db', demo, 'preview', '--all', '--pages', 'all', '--out', dir])).code).toBe(0);
    // A full tree checked for the Account page only, or for the Home page only: clean.
    const account = await pops(['--db', demo, 'preview', '--all', '--pages', 'account', '--check', dir]);
    expect(account.stdout).toBe('0 changed, 0 new, 0 missing, 36 unchanged\n');
    // …but it says which pages it left unchecked, so a clean check is not taken for an all-clear.
    expect(account.stderr).toContain(
      `pops: warning: 180 snapshot files of other pages (home, pay, quickpay, receipts, statements) in ${dir} were not checked; add --pages all to check every page\n`,
    );
    const home = await pops(['--db', demo, 'preview', '--all', '--pages', 'home', '--check', dir]);
    expect(home.stdout).toBe('0 changed, 0 new, 0 missing, 36 unchanged\n');
    expect(home.stderr).toContain('180 snapshot files of other pages (account, pay, quickpay, receipts, statements)');
    expect((await pops(['--db', demo, 'preview', '--all', '--pages', 'all', '--check', dir])).stderr).not.toContain('not checked');
    // --out of the Home pages into it: no warning about the other pages.
    const out = await pops(['--db', demo, 'preview', '--all', '--pages', 'home', '--out', dir]);
    expect(out.code).toBe(0);
    expect(out.stderr).not.toContain('other file');

    // A stale Home page is reported for Home pages, not for Account pages.
    const stale = path.join(dir, 'lakeside-pediatrics', '99999.home.txt');
    fs.writeFileSync(stale, 'an old page');
    const withHome = await pops(['--db', demo, 'preview', '--all', '--pages', 'home,pay', '--check', dir]);
    expect(withHome.code).toBe(1);
    expect(statusLines(withHome.stdout)).toEqual(['missing lakeside-pediatrics/99999.home.txt']);
    expect((await pops(['--db', demo, 'preview', '--all', '--check', dir])).code).toBe(0);
    const outHome = await pops(['--db', demo, 'preview', '--all', '--pages', 'home', '--out', dir]);
    expect(outHome.stderr).toContain('1 other file in');
    expect(outHome.stderr).toContain('(e.g. lakeside-pediatrics/99999.home.txt)');
    expect((await pops(['--db', demo, 'preview', '--all', '--out', dir])).stderr).not.toContain('other file');

    // A v1 tree checked for the Home page: every Home page is new, no Account page is missing.
    const v1 = path.join(tempDir(), 'v1');
    expect((await pops(['--db', demo, 'preview', '--all', '--out', v1])).code).toBe(0);
    const homeOfV1 = await pops(['--db', demo, 'preview', '--all', '--pages', 'home', '--check', v1]);
    expect(homeOfV1.code).toBe(1);
    expect(statusLines(homeOfV1.stdout)).toHaveLength(36);
    expect(statusLines(homeOfV1.stdout).every((l) => l.startsWith('new ') && l.endsWith('.home.txt'))).toBe(true);
  });

  it('--pages home,home renders each Home page once', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    const result = await pops(['--db', demo, 'preview', '--all', '--pages', 'home,home', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`pops: wrote 36 snapshots to ${dir}\n`);
    expect([...pages(dir).keys()].sort()).toEqual(demoAccounts.map((a) => `${groupSlug(a.group)}/${a.accountNumber}.home.txt`).sort());
    const check = await pops(['--db', demo, 'preview', '--all', '--pages', 'home,HOME, home', '--check', dir]);
    expect(check.stdout).toBe('0 changed, 0 new, 0 missing, 36 unchanged\n');
  });

  it('the no-footer-number warning counts the Collection Balance panels and the Pay and QuickPay lines that say "contact the office"', async () => {
    const panelsOnly = await pops(['--db', demo, 'preview', '--all', '--out', path.join(tempDir(), 'a')]);
    const warning =
      /^pops: warning: group "Riverbend Orthopedics" has no footer number: (\d+) Collection Balance panels? tells? the patient to contact the office$/m;
    const panels = Number(warning.exec(panelsOnly.stderr)?.[1]);
    expect(panels).toBeGreaterThan(1);

    const all = await pops(['--db', demo, 'preview', '--all', '--pages', 'all', '--out', path.join(tempDir(), 'b')]);
    const lines = all.stderr.split('\n').filter((l) => l.includes('no footer number'));
    expect(lines).toEqual([
      `pops: warning: group "Riverbend Orthopedics" has no footer number: ${panels} Collection Balance panels and ${2 * panels} collection balance lines tell the patient to contact the office`,
    ]);
    const pay = await pops(['--db', demo, 'preview', '--all', '--pages', 'pay', '--check', path.join(tempDir())]);
    expect(pay.stderr).toContain(
      `pops: warning: group "Riverbend Orthopedics" has no footer number: ${panels} collection balance lines tell the patient to contact the office\n`,
    );
    const home = await pops(['--db', demo, 'preview', '--all', '--pages', 'home,statements,receipts', '--out', path.join(tempDir(), 'c')]);
    expect(home.stderr).not.toContain('no footer number');
  });

  it('an unknown page: exit 2, one line, nothing written (not even the folder)', async () => {
    const dir = path.join(tempDir(), 'snapshots');
    const result = await pops(['--db', demo, 'preview', '--all', '--pages', 'home,landing', '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('landing');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('--pages without --all: exit 2', async () => {
    const result = await pops(['--db', demo, 'preview', '10004', '--pages', 'home']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--pages needs --all');
  });
});

describe('pops preview --all --pages all with a writer thread', () => {
  // The writer thread takes the pages of a set of 500 or more and runs only from the bundle: the real binary.
  const COUNT = 2500;
  let db: string;
  beforeAll(async () => {
    db = await makeStore({ dump: generateDump(20_261_214, COUNT) });
    // A group whose collection notices can only say "contact the office", for the warnings.
    const cleared = await pops(['--db', db, 'groups', 'set', 'West Pediatrics', '--footer-phone', '']);
    expect(cleared.code, cleared.stderr).toBe(0);
  }, 120_000);

  it('writes the same files, the same warnings, as one thread does', async () => {
    const threaded = path.join(tempDir(), 'threaded');
    const result = popsBinary(['--db', db, 'preview', '--all', '--pages', 'all', '--out', threaded]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote ${COUNT * 6} snapshots to ${threaded}`);
    expect(result.stderr).toContain('(written by a second thread)');

    // In this process pops runs from the sources: one thread.
    const single = path.join(tempDir(), 'single');
    const one = await pops(['--db', db, 'preview', '--all', '--pages', 'all', '--out', single]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).not.toContain('threads');
    const warnings = (text: string) => text.split('\n').filter((l) => l.includes('no footer number'));
    expect(warnings(result.stderr)).toHaveLength(1);
    expect(warnings(result.stderr)[0]).toMatch(
      /^pops: warning: group "West Pediatrics" has no footer number: \d+ Collection Balance panels and \d+ collection balance lines tell/,
    );
    expect(warnings(result.stderr)).toEqual(warnings(one.stderr));

    const a = pages(threaded);
    const b = pages(single);
    expect(a.size).toBe(COUNT * 6);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    const differing = [...a].filter(([relative, text]) => b.get(relative) !== text).map(([relative]) => relative);
    expect(differing).toEqual([]);
  }, 180_000);
});
