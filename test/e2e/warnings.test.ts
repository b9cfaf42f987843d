// The "Show Collections on, no footer number" warning (docs/design-choices.md,
// "Hardening (v1.1)"): every command that leaves a group in that state says so
// on stderr, once per group — also when the run changed nothing, and on dry runs.
// In the demo, Riverbend Orthopedics (3) is on without a number, Lakeside
// Pediatrics (1) is on with one, Northshore Family Medicine (2) is off with one.
import { describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops } from '../helpers/cli.js';
import { scriptedPrompter } from '../helpers/scripted-prompter.js';

const WARNING = /^pops: warning: group "([^"]+)" has Show Collections on but no footer number/gm;

/** The groups warned about, in order, one entry per warning line. */
function warnedGroups(stderr: string): string[] {
  return [...stderr.matchAll(WARNING)].map((match) => match[1]);
}

const apply = (db: string, input: unknown, ...args: string[]) =>
  pops(['--db', db, 'groups', 'apply', '-', '--format', 'json', ...args], { input: JSON.stringify(input) });

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('single-group commands warn whenever they leave the group on without a number', () => {
    it('collections on, for a group already on without a number (no change)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'collections', 'Riverbend Orthopedics', 'on']);
      expect(result).toMatchObject({ code: 0, stdout: 'no changes\n' });
      expect(warnedGroups(result.stderr)).toEqual(['Riverbend Orthopedics']);
    });

    it('footer-number --clear, for a group already without a number (no change)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'footer-number', '3', '--clear']);
      expect(result).toMatchObject({ code: 0, stdout: 'no changes\n' });
      expect(warnedGroups(result.stderr)).toEqual(['Riverbend Orthopedics']);
    });

    it('set of another setting on such a group, dry run included', async () => {
      const db = await makeStore({ demo: true }, backend);
      for (const extra of [[], ['--dry-run']]) {
        const result = await pops(['--db', db, 'groups', 'set', '3', '--auto-post', 'on', ...extra]);
        expect(result.code).toBe(0);
        expect(warnedGroups(result.stderr)).toEqual(['Riverbend Orthopedics']);
      }
    });

    it('collections on --dry-run for a group without a number', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'footer-number', '2', '--clear']);
      const result = await pops(['--db', db, 'groups', 'collections', '2', 'on', '--dry-run']);
      expect(result.stdout).toMatch(/^showCollections: off → on$/m);
      expect(warnedGroups(result.stderr)).toEqual(['Northshore Family Medicine']);
    });

    it('a rename names the group by its new name', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await pops(['--db', db, 'groups', 'set', '3', '--name', 'Riverbend Ortho']);
      expect(warnedGroups(result.stderr)).toEqual(['Riverbend Ortho']);
    });

    it('edit, also when the edit touched neither setting', async () => {
      const db = await makeStore({ demo: true }, backend);
      const prompt = scriptedPrompter({ 'Auto-post payments': 'on', 'Apply these changes?': true });
      const result = await pops(['--db', db, 'groups', 'edit', '3'], { terminal: { stdin: true, stdout: true }, prompt });
      expect(result.code).toBe(0);
      expect(warnedGroups(result.stderr)).toEqual(['Riverbend Orthopedics']);
    });

    it('no warning when the group ends with a number, or with Show Collections off', async () => {
      const db = await makeStore({ demo: true }, backend);
      for (const args of [
        ['groups', 'set', '1', '--auto-post', 'on'],
        ['groups', 'collections', '2', 'on'],
        ['groups', 'footer-number', '3', '312-555-0199', '--dry-run'],
        ['groups', 'collections', '3', 'off'],
        ['groups', 'footer-number', '3', '--clear'],
      ]) {
        const result = await pops(['--db', db, ...args]);
        expect(result.code).toBe(0);
        expect(result.stderr).not.toMatch(/warning/);
      }
    });

    it('reading commands do not warn', async () => {
      const db = await makeStore({ demo: true }, backend);
      for (const args of [
        ['groups', 'collections', '3'],
        ['groups', 'footer-number', '3'],
        ['groups', 'show', '3'],
      ]) {
        expect((await pops(['--db', db, ...args])).stderr).not.toMatch(/warning/);
      }
    });
  });

  describe('groups apply warns once per group it leaves on without a number', () => {
    it('for changed, unchanged and created groups, dry run or not', async () => {
      for (const extra of [['--dry-run'], []]) {
        const db = await makeStore({ demo: true }, backend);
        const result = await apply(
          db,
          [
            { name: 'Northshore Family Medicine', showCollections: true, footerPhone: null }, // changed into it
            { name: 'Riverbend Orthopedics', autoPost: false }, // unchanged, already so
            { name: 'Lakeside Pediatrics', autoPost: true }, // has a number
            { name: 'Harbor Dermatology', showCollections: true }, // created so
            { name: 'Bayview Clinic' }, // created at the defaults (off)
          ],
          '--create',
          ...extra,
        );
        expect(result.code).toBe(0);
        expect(warnedGroups(result.stderr)).toEqual(['Northshore Family Medicine', 'Riverbend Orthopedics', 'Harbor Dermatology']);
      }
    });

    it('no warning when the run gives the group a number', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await apply(db, [{ name: 'Riverbend Orthopedics', footerPhone: '312-555-0199' }]);
      expect(result.code).toBe(0);
      expect(result.stderr).not.toMatch(/warning/);
    });

    it('a CSV apply of many groups warns for each, at most 50 lines and then a count', async () => {
      const db = await makeStore({}, backend);
      const names = Array.from({ length: 60 }, (_, i) => `Clinic ${String(i + 1).padStart(2, '0')}`);
      const csv = `name,showCollections\n${names.map((name) => `${name},on`).join('\n')}\n`;
      const result = await pops(['--db', db, 'groups', 'apply', '-', '--format', 'csv', '--create'], { input: csv });
      expect(result.code).toBe(0);
      expect(warnedGroups(result.stderr)).toEqual(names.slice(0, 50));
      expect(result.stderr).toMatch(/^pops: warning: 10 more groups have Show Collections on but no footer number \(pops doctor lists them all\)$/m);
    });

    it('an invalid input warns about nothing', async () => {
      const db = await makeStore({ demo: true }, backend);
      const result = await apply(db, [{ name: 'Riverbend Orthopedics', autoPost: 'maybe' }]);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/warning/);
    });
  });

  describe('groups create', () => {
    it('warns when the group starts on without a number, once', async () => {
      const db = await makeStore({}, backend);
      const result = await pops(['--db', db, 'groups', 'create', 'Harbor', '--show-collections', 'on']);
      expect(warnedGroups(result.stderr)).toEqual(['Harbor']);
    });
  });
});
