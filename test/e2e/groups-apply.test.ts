// `pops groups apply` and `pops groups export` (SPEC §6 "Bulk apply") on real
// temporary stores; kills part-way through run the real binary.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, BIN, childEnv, copyStore, demoDump, makeStore, pops, storeDigest, storeRows, storeSql, tempDir } from '../helpers/cli.js';
import { baseDump, V2_CSV_COLUMNS, V2_CSV_DEFAULTS, V2_DEFAULTS_JSON } from '../helpers/dumps.js';

/** Write `content` to a file named `name` in a fresh temporary directory. */
function inputFile(name: string, content: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

async function exportJson(db: string): Promise<any> {
  const result = await pops(['--db', db, 'groups', 'export']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

function auditRows(db: string): any[] {
  return storeRows(db, 'SELECT * FROM audit_log ORDER BY id');
}

function auditCount(db: string): number {
  return Number(storeRows(db, 'SELECT count(*) AS n FROM audit_log')[0].n);
}

const groupsDump = (groups: Record<string, unknown>[]) => baseDump({ groups });

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('groups export → groups apply', () => {
    it('round-trips as JSON: applying the export changes nothing, and writes nothing', async () => {
      const db = await makeStore({ demo: true }, backend);
      const file = inputFile('groups.json', (await pops(['--db', db, 'groups', 'export'])).stdout);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'apply', file]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`0 changed, 0 created, ${demoDump().groups.length} unchanged\n`);
      expect(storeDigest(db)).toBe(before);
    });

    it('round-trips as CSV, including null settings and footer text with commas, quotes and newlines', async () => {
      const footerText = 'Call us, "any time",\nor write: billing, Suite 5';
      const db = await makeStore(
        {
          dump: groupsDump([
            { name: 'Lakeside Pediatrics', footerText, footerPhone: '3125550142 x12' },
            { name: 'Plain', footerEmail: null },
          ]),
        },
        backend,
      );
      const exported = await pops(['--db', db, 'groups', 'export', '--format', 'csv']);
      expect(exported.code, exported.stderr).toBe(0);
      const lines = exported.stdout.split('\n');
      expect(lines[0]).toBe(
        `name,showCollections,footerPhone,footerEmail,footerText,landingPage,accountDashboard,includeNewCharges,creditCard,applePay,googlePay,storePaymentMethods,autoPost,requireCvv,logoUrl,${V2_CSV_COLUMNS}`,
      );
      expect(exported.stdout).toContain(
        `Lakeside Pediatrics,off,'+13125550142;ext=12,-,"Call us, ""any time"",\nor write: billing, Suite 5",home,on,off,on,off,off,off,off,on,-,${V2_CSV_DEFAULTS}\n`,
      );
      expect(exported.stdout).toContain(`Plain,off,-,-,-,home,on,off,on,off,off,off,off,on,-,${V2_CSV_DEFAULTS}\n`);

      const file = inputFile('groups.csv', exported.stdout);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'apply', file]);
      expect(result.stdout).toBe('0 changed, 0 created, 2 unchanged\n');
      expect(storeDigest(db)).toBe(before);

      // The export is a full copy: applied to a store where the groups differ, it restores them.
      const other = await makeStore(
        { dump: groupsDump([{ name: 'lakeside pediatrics', showCollections: true, logoUrl: 'https://x.example.com/a.png' }]) },
        backend,
      );
      const restored = await pops(['--db', other, 'groups', 'apply', file, '--create']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout.split('\n').at(-2)).toBe('1 changed, 1 created, 0 unchanged');
      expect((await exportJson(other)).groups.map((g: any) => ({ ...g, name: g.name.toLowerCase() }))).toEqual(
        (await exportJson(db)).groups.map((g: any) => ({ ...g, name: g.name.toLowerCase() })),
      );
    });

    it('exports JSON with every setting as JSON values: booleans, E.164 phones, null when unset', async () => {
      const db = await makeStore({ dump: groupsDump([{ name: 'A', showCollections: true, footerPhone: '(312) 555-0142' }]) }, backend);
      expect(await exportJson(db)).toEqual({
        groups: [
          {
            name: 'A',
            showCollections: true,
            footerPhone: '+13125550142',
            footerEmail: null,
            footerText: null,
            landingPage: 'home',
            accountDashboard: true,
            includeNewCharges: false,
            creditCard: true,
            applePay: false,
            googlePay: false,
            storePaymentMethods: false,
            autoPost: false,
            requireCvv: true,
            logoUrl: null,
            ...V2_DEFAULTS_JSON,
          },
        ],
      });
    });

    it('exports a footer text of only spaces as an empty CSV cell, with a warning, so that applying it changes nothing', async () => {
      // pops itself never stores such a text (a blank value clears the setting), but another tool may have.
      // (A footer text of exactly "-" is carried as '-: test/e2e/csv-injection.test.ts.)
      const db = await makeStore({ dump: groupsDump([{ name: 'A' }]) }, backend);
      storeSql(db, "UPDATE groups SET footer_text = '   '");
      const exported = await pops(['--db', db, 'groups', 'export', '--format', 'csv']);
      expect(exported.code).toBe(0);
      expect(exported.stderr).toMatch(/^pops: warning: group "A": footerText " {3}" cannot be carried by CSV/);
      expect(exported.stdout.split('\n')[1]).toBe(`A,off,-,-,,home,on,off,on,off,off,off,off,on,-,${V2_CSV_DEFAULTS}`);
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('g.csv', exported.stdout)]);
      expect(result.stdout).toBe('0 changed, 0 created, 1 unchanged\n');
    });
  });

  describe('groups apply', () => {
    const changesCsv = 'name,showCollections,footerPhone,footerText\nlakeside pediatrics,off,-,"Hours: 8-5, ""M-F"""\nNorthshore Family Medicine,,,\n';

    it('prints each changed group with its changes and the summary, and writes them in one audit batch', async () => {
      const db = await makeStore({ demo: true }, backend);
      const auditBefore = auditRows(db).length;
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('c.csv', changesCsv)]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(
        [
          'Lakeside Pediatrics',
          '  showCollections: on → off',
          '  footerPhone: (312) 555-0142 → not set',
          '  footerText: "Office hours: Mon–Fri 8:00–17:00" → "Hours: 8-5, \\"M-F\\""',
          '1 changed, 0 created, 1 unchanged',
          '',
        ].join('\n'),
      );
      const written = auditRows(db).slice(auditBefore);
      expect(written).toHaveLength(3);
      expect(new Set(written.map((row) => row.batch)).size).toBe(1);
      expect(written.map((row) => [row.actor, row.action, row.group_name, row.field, row.from_value, row.to_value])).toEqual([
        ['tester', 'set', 'Lakeside Pediatrics', 'showCollections', 'true', 'false'],
        ['tester', 'set', 'Lakeside Pediatrics', 'footerPhone', '"+13125550142"', 'null'],
        ['tester', 'set', 'Lakeside Pediatrics', 'footerText', '"Office hours: Mon–Fri 8:00–17:00"', '"Hours: 8-5, \\"M-F\\""'],
      ]);
      const lakeside = (await exportJson(db)).groups.find((g: any) => g.name === 'Lakeside Pediatrics');
      expect(lakeside).toMatchObject({ showCollections: false, footerPhone: null, footerText: 'Hours: 8-5, "M-F"' });
    });

    it('is idempotent: the second run of the same input changes nothing and writes no audit rows', async () => {
      const db = await makeStore({ demo: true }, backend);
      const file = inputFile('c.csv', changesCsv);
      expect((await pops(['--db', db, 'groups', 'apply', file])).code).toBe(0);
      const auditAfterFirst = auditRows(db).length;
      const digest = storeDigest(db);
      const second = await pops(['--db', db, 'groups', 'apply', file]);
      expect(second.stdout).toBe('0 changed, 0 created, 2 unchanged\n');
      expect(auditRows(db)).toHaveLength(auditAfterFirst);
      expect(storeDigest(db)).toBe(digest);
    });

    it('--dry-run prints the plan and leaves the store byte-for-byte unchanged', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('c.csv', changesCsv), '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('  showCollections: on → off\n');
      expect(result.stdout).toMatch(/1 changed, 0 created, 1 unchanged\n$/);
      expect(result.stderr).toContain('dry run');
      expect(storeDigest(db)).toBe(before);
    });

    it('--json prints the plan with JSON values; created groups are listed in created, not changed', async () => {
      const db = await makeStore({ demo: true }, backend);
      const input = JSON.stringify({
        groups: [
          { name: 'Lakeside Pediatrics', showCollections: false, footerPhone: null },
          { name: 'New Clinic', footerPhone: '(773) 555-0188 ext. 7' },
          { name: 'Riverbend Orthopedics' },
        ],
      });
      for (const dryRun of [true, false]) {
        const result = await pops(['--db', db, 'groups', 'apply', inputFile('c.json', input), '--create', '--json', ...(dryRun ? ['--dry-run'] : [])]);
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual({
          dryRun,
          changed: [
            {
              group: 'Lakeside Pediatrics',
              changes: [
                { field: 'showCollections', from: true, to: false },
                { field: 'footerPhone', from: '+13125550142', to: null },
              ],
            },
          ],
          created: ['New Clinic'],
          unchanged: 1,
        });
      }
      expect((await exportJson(db)).groups.find((g: any) => g.name === 'New Clinic')).toMatchObject({
        footerPhone: '+17735550188;ext=7',
        showCollections: false,
      });
    });

    it('refuses an unknown group without --create (exit 2, nothing written), and creates it with --create', async () => {
      const db = await makeStore({ demo: true }, backend);
      const file = inputFile('c.csv', 'name,showCollections,footerPhone\nLakeside Pediatrics,off,\nNew Clinic,on,312-555-0199\n');
      const before = storeDigest(db);
      const refused = await pops(['--db', db, 'groups', 'apply', file]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe('pops: line 3: name: no such group "New Clinic" (use --create to create the groups that do not exist)\n');
      expect(storeDigest(db)).toBe(before);

      const created = await pops(['--db', db, 'groups', 'apply', file, '--create']);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toBe(
        [
          'Lakeside Pediatrics',
          '  showCollections: on → off',
          'New Clinic (new group)',
          '  showCollections: off → on',
          '  footerPhone: not set → (312) 555-0199',
          '1 changed, 1 created, 0 unchanged',
          '',
        ].join('\n'),
      );
      // A created group's settings that differ from the defaults are audited as set rows (SPEC §13 "Audit").
      const audit = auditRows(db).slice(-4);
      expect(audit.map((row) => [row.action, row.group_name, row.field])).toEqual([
        ['set', 'Lakeside Pediatrics', 'showCollections'],
        ['create', 'New Clinic', null],
        ['set', 'New Clinic', 'showCollections'],
        ['set', 'New Clinic', 'footerPhone'],
      ]);
      expect(new Set(audit.map((row) => row.batch)).size).toBe(1);
    });

    it('refuses a group named twice in one input, compared case-insensitively', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops([
        '--db',
        db,
        'groups',
        'apply',
        inputFile(
          'c.json',
          JSON.stringify([
            { name: 'Lakeside Pediatrics', applePay: true },
            { name: 'LAKESIDE pediatrics', applePay: false },
          ]),
        ),
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('pops: [1].name: group "LAKESIDE pediatrics" appears more than once (also [0]; names are compared case-insensitively)\n');
      expect(storeDigest(db)).toBe(before);
    });

    it('refuses an unknown column, naming it on line 1', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('c.csv', 'name,showCollections,colour\nLakeside Pediatrics,off,red\n')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: line 1: colour: unknown column; expected name or one of showCollections, /);
    });

    it('reports a bad value on a later row with its physical line, also after a quoted multi-line cell', async () => {
      const db = await makeStore({ demo: true }, backend);
      const csv = [
        'name,footerText,footerPhone',
        'Lakeside Pediatrics,"Line one',
        'line two, with a comma',
        'line three",',
        '',
        'Northshore Family Medicine,,555-01',
        'Riverbend Orthopedics,ok,(312) 555-0142',
        '',
      ].join('\n');
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('c.csv', csv)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: line 6: footerPhone: .*"555-01"/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(storeDigest(db)).toBe(before);
    });

    it('reports JSON problems by 0-based index and field', async () => {
      const db = await makeStore({ demo: true }, backend);
      const input = { groups: [{ name: 'Lakeside Pediatrics' }, { name: 'Riverbend Orthopedics', footerEmail: 'not-an-email', bogus: 1 }] };
      const result = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'json'], { input: JSON.stringify(input) });
      expect(result.code).toBe(2);
      expect(
        result.stderr
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(': ').slice(0, 2).join(': ')),
      ).toEqual(['pops: groups[1].footerEmail', 'pops: groups[1].bogus']);
    });

    it('reads stdin with --format, and refuses stdin without it (exit 2)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const ok = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'csv'], { input: 'name,applePay\nRiverbend Orthopedics,on\n' });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toBe('Riverbend Orthopedics\n  applePay: off → on\n1 changed, 0 created, 0 unchanged\n');
      const before = storeDigest(db);
      const refused = await pops(['--db', db, 'groups', 'apply', '-'], { input: 'name,applePay\nRiverbend Orthopedics,off\n' });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^pops: reading stdin \(-\) needs --format json or --format csv\n$/);
      expect(storeDigest(db)).toBe(before);
    });

    it('refuses a file whose format it cannot tell, an unknown --format, and a file that is not JSON/CSV, each with one line', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const cases: [string[], RegExp][] = [
        [[inputFile('c.txt', 'name\n')], /^pops: cannot tell the format of .*c\.txt from its name\n/],
        [[inputFile('c.csv', 'name\n'), '--format', 'xml'], /^pops: --format: expected one of json, csv, got "xml"\n$/],
        [[inputFile('c.json', '{"groups": [')], /^pops: .*c\.json: malformed JSON: /],
        [[inputFile('c.csv', 'name,footerText\nA,"open\n')], /^pops: .*c\.csv: malformed CSV: /],
        [[inputFile('c.json', '{"groups": 3}')], /^pops: .*c\.json: expected \{"groups": \[\.\.\.\]\} or an array of groups, got an object\n$/],
      ];
      for (const [args, message] of cases) {
        const result = await pops(['--db', db, 'groups', 'apply', ...args]);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
      }
      expect(storeDigest(db)).toBe(before);
    });

    it('shows at most 50 problems, then how many more there are', async () => {
      const db = await makeStore({ demo: true }, backend);
      const rows = Array.from({ length: 60 }, (_, i) => `Group ${i},maybe`);
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('c.csv', `name,showCollections\n${rows.join('\n')}\n`), '--create']);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(51);
      expect(lines[0]).toMatch(/^pops: line 2: showCollections: expected on or off/);
      expect(lines[49]).toMatch(/^pops: line 51: showCollections: /);
      expect(lines[50]).toBe('pops: 10 more not shown');
    });

    it('writes thousands of groups with different sets of changes: every value stored, every change audited once, in input order', async () => {
      const groups = Array.from({ length: 2500 }, (_, i) => ({ name: `Clinic ${String(i).padStart(4, '0')}`, footerEmail: 'billing@example.com' }));
      const db = await makeStore({ dump: groupsDump(groups) }, backend);
      // Four kinds of row, so the store is written with several statements of different columns, in chunks.
      const wanted = groups.map((g, i) => {
        if (i % 4 === 0) return { name: g.name, footerText: `Hours ${i}` };
        if (i % 4 === 1) return { name: g.name, showCollections: true, footerPhone: '(312) 555-0142' };
        if (i % 4 === 2) return { name: g.name, footerEmail: null };
        return { name: g.name.toUpperCase(), applePay: true, footerText: `Line 1\nLine "${i}"` };
      });
      const auditBefore = auditRows(db).length;
      const result = await pops(['--db', db, 'groups', 'apply', inputFile('changes.json', JSON.stringify({ groups: wanted }))]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.endsWith('2500 changed, 0 created, 0 unchanged\n')).toBe(true);

      const stored = new Map((await exportJson(db)).groups.map((g: any) => [g.name, g]));
      const expectedAudit: unknown[][] = [];
      groups.forEach((g, i) => {
        const group = stored.get(g.name);
        const base = { showCollections: false, footerPhone: null, footerEmail: 'billing@example.com', footerText: null, applePay: false };
        if (i % 4 === 0) {
          expect(group).toMatchObject({ ...base, footerText: `Hours ${i}` });
          expectedAudit.push([g.name, 'footerText', 'null', JSON.stringify(`Hours ${i}`)]);
        } else if (i % 4 === 1) {
          expect(group).toMatchObject({ ...base, showCollections: true, footerPhone: '+13125550142' });
          expectedAudit.push([g.name, 'showCollections', 'false', 'true'], [g.name, 'footerPhone', 'null', '"+13125550142"']);
        } else if (i % 4 === 2) {
          expect(group).toMatchObject({ ...base, footerEmail: null });
          expectedAudit.push([g.name, 'footerEmail', '"billing@example.com"', 'null']);
        } else {
          expect(group).toMatchObject({ ...base, applePay: true, footerText: `Line 1\nLine "${i}"` });
          expectedAudit.push([g.name, 'footerText', 'null', JSON.stringify(`Line 1\nLine "${i}"`)], [g.name, 'applePay', 'false', 'true']);
        }
      });
      const written = auditRows(db).slice(auditBefore);
      expect(new Set(written.map((row) => row.batch)).size).toBe(1);
      expect(written.every((row) => row.action === 'set' && row.actor === 'tester')).toBe(true);
      expect(written.map((row) => [row.group_name, row.field, row.from_value, row.to_value])).toEqual(expectedAudit);
    });

    it('draws a progress bar on stderr only when stderr is a terminal and the input is large', async () => {
      const groups = Array.from({ length: 600 }, (_, i) => ({ name: `Group ${i}` }));
      const db = await makeStore({ dump: groupsDump(groups) }, backend);
      const file = inputFile('c.csv', '');
      const run = async (stderrIsTTY: boolean, value: string) => {
        fs.writeFileSync(file, `name,applePay\n${groups.map((g) => `${g.name},${value}`).join('\n')}\n`);
        const { code, stdout: out, stderr: err } = await pops(['--db', db, 'groups', 'apply', file], { terminal: { stderr: stderrIsTTY } });
        return { code, out, err };
      };
      const withTerminal = await run(true, 'on');
      expect(withTerminal.code).toBe(0);
      expect(withTerminal.err).toContain('] 600/600');
      expect(withTerminal.err).toMatch(/^\r\[#*\s*\] \d+\/600/);
      expect(withTerminal.out).toMatch(/^Group 0\n {2}applePay: off → on\n/);
      const piped = await run(false, 'off');
      expect(piped.code).toBe(0);
      expect(piped.err).toBe('');
      fs.writeFileSync(file, 'name,applePay\nGroup 1,on\n');
      const small = await pops(['--db', db, 'groups', 'apply', file], { terminal: { stderr: true } });
      expect(small.stdout).toMatch(/1 changed, 0 created, 0 unchanged\n$/);
      expect(small.stderr).toBe('');
    });
  });
});

describe('a kill part-way through groups apply', () => {
  it('leaves the store exactly as before or fully applied, never half', async () => {
    const groups = Array.from({ length: 5000 }, (_, i) => ({ name: `Practice ${String(i).padStart(4, '0')}`, footerPhone: '(312) 555-0142' }));
    const pristine = await makeStore({ dump: groupsDump(groups) });
    const rows = groups.map((g, i) => `${g.name},on,(773) 555-${String(1000 + (i % 9000)).padStart(4, '0')},"Changed, ${i}"`);
    const file = inputFile('all.csv', `name,showCollections,footerPhone,footerText\n${rows.join('\n')}\n`);

    const before = { groups: await exportJson(pristine), audit: auditCount(pristine) };
    const run = (db: string, killAfterMs?: number) => {
      const child = spawn(process.execPath, [BIN, '--db', db, 'groups', 'apply', file], { stdio: 'ignore', env: childEnv() });
      const started = Date.now();
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      return new Promise<{ signal: NodeJS.Signals | null; ms: number }>((resolve) =>
        child.on('exit', (_code, signal) => resolve({ signal, ms: Date.now() - started })),
      );
    };

    const complete = copyStore(pristine);
    const { signal: none, ms: fullRunMs } = await run(complete);
    expect(none).toBeNull();
    const after = { groups: await exportJson(complete), audit: auditCount(complete) };
    expect(after.audit).toBe(before.audit + 3 * groups.length);

    // Kills spread over the run as timed on this machine: early ones land while
    // starting or validating, later ones while writing the one transaction.
    const outcomes: string[] = [];
    for (const fraction of [0.1, 0.3, 0.5, 0.65, 0.8, 0.9, 0.97, 1.5]) {
      const db = copyStore(pristine);
      const { signal } = await run(db, Math.round(fullRunMs * fraction));
      const state = { groups: await exportJson(db), audit: auditCount(db) };
      if (state.audit === before.audit) {
        expect(state).toEqual(before);
        outcomes.push(`${fraction}: ${signal ?? 'exited'}, as before`);
      } else {
        expect(state).toEqual(after);
        outcomes.push(`${fraction}: ${signal ?? 'exited'}, fully applied`);
      }
    }
    // Which kills land mid-transaction depends on the machine; each must be all or nothing.
    expect(outcomes).toHaveLength(8);
  }, 120_000);
});
