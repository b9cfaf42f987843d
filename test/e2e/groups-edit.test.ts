// pops groups edit, and the confirmation of groups delete (SPEC §6): prompts
// labelled in words, current values as defaults, validation as you type,
// "Apply these changes?". The behaviour runs in-process with a scripted
// prompter; one run of each command in a real pseudo-terminal (tmux) proves
// the real prompts, keys and screen.
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, popsBinary, storeDigest } from '../helpers/cli.js';
import { CANCEL, scriptedPrompter } from '../helpers/scripted-prompter.js';
import { HAS_TMUX, TerminalSession } from '../helpers/tmux.js';

type Json = any;
const auditOf = async (db: string): Promise<Json[]> => JSON.parse((await pops(['--db', db, 'audit', '--all', '--json'])).stdout);
const showGroup = async (db: string, group: string): Promise<Json> => JSON.parse((await pops(['--db', db, 'groups', 'show', group, '--json'])).stdout);

/** A terminal on stdin and stdout, as `groups edit` and `groups delete` need to ask anything. */
const TERMINAL = { stdin: true, stdout: true };

/** The prompts of `groups edit`, in catalogue order, by their labels. */
const LABELS = [
  'Show Collections',
  'Footer number',
  'Footer email',
  'Footer text',
  'Landing page',
  'Account dashboard',
  'Include new charges in Amount Due',
  'Credit card payments',
  'Apple Pay',
  'Google Pay',
  'Store payment methods',
  'Auto-post payments',
  'Require card CVV',
  'Logo URL',
  'Show current balance',
  'Show unapplied funds (escrow)',
  'Logout function',
  'Email receipts',
  'Split payments',
  'Favicon URL',
  'Home image URL',
  'Theme background color',
  'Theme surface color',
  'Theme primary color',
  'Theme secondary color',
  'Theme accent color',
  'Theme info color',
  'Theme success color',
  'Theme error color',
  'Theme warning color',
  'Dark theme',
];

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('groups edit', () => {
    it('asks every setting in catalogue order, labelled in words, the current value offered as it is shown', async () => {
      const db = await makeStore({ demo: true }, backend);
      const prompt = scriptedPrompter();
      await pops(['--db', db, 'groups', 'edit', 'Lakeside Pediatrics'], { terminal: TERMINAL, prompt });
      expect(prompt.asked.map((q) => q.message)).toEqual(LABELS);
      const offered = Object.fromEntries(prompt.asked.map((q) => [q.message, q.defaultValue]));
      expect(offered).toMatchObject({
        'Show Collections': 'on',
        'Footer number': '(312) 555-0142',
        'Footer email': 'billing@lakesidepeds.example.com',
        'Footer text': 'Office hours: Mon–Fri 8:00–17:00',
        'Landing page': 'home',
        'Apple Pay': 'on',
        'Logo URL': undefined,
      });
    });

    it('a setting a colleague changed while the prompts were open is not overwritten unseen: exit 4, nothing written', async () => {
      const db = await makeStore({ demo: true }, backend);
      const scripted = scriptedPrompter({ 'Footer number': '773-555-0100', 'Apple Pay': 'off', 'Apply these changes?': true });
      // The colleague's `groups set` lands while this user reads the summary; the store as it left it.
      let before = '';
      const prompt = {
        ...scripted,
        confirm: async (message: string, defaultValue: boolean) => {
          // (Another process: runs of pops in this one cannot overlap.)
          const colleague = popsBinary(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--footer-phone', '312-555-0888']);
          expect(colleague.code, colleague.stderr).toBe(0);
          before = storeDigest(db);
          return scripted.confirm(message, defaultValue);
        },
      };
      const result = await pops(['--db', db, 'groups', 'edit', 'Lakeside Pediatrics'], { terminal: TERMINAL, prompt });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        'pops: group "Lakeside Pediatrics" was changed by someone else while you were editing it (footerPhone: (312) 555-0142 → (312) 555-0888); nothing was written\n',
      );
      expect(storeDigest(db)).toBe(before);
      expect(await showGroup(db, '1')).toMatchObject({ footerPhone: '+13125550888', applePay: true });
    });

    it('accepting applies the changes in one audited batch, after refusing an invalid answer inline', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const prompt = scriptedPrompter({
        'Footer number': ['555-0100', '773-555-0100'],
        'Footer text': '',
        'Apple Pay': 'off',
        'Apply these changes?': true,
      });
      const result = await pops(['--db', db, '--actor', 'editor', 'groups', 'edit', 'Lakeside Pediatrics'], { terminal: TERMINAL, prompt });
      expect(result.code, result.stderr).toBe(0);
      expect(prompt.asked.find((q) => q.message === 'Footer number')!.refused).toEqual([
        { text: '555-0100', message: expect.stringContaining('not a valid North American phone number: "555-0100"') },
      ]);
      expect(result.stdout).toContain('footerPhone: (312) 555-0142 → (773) 555-0100');
      expect(result.stdout).toContain('footerText: "Office hours: Mon–Fri 8:00–17:00" → not set');
      expect(result.stdout).toContain('applePay: on → off');
      expect(prompt.asked.at(-1)).toEqual({ kind: 'confirm', message: 'Apply these changes?', defaultValue: false });
      expect(await showGroup(db, '1')).toMatchObject({
        footerPhone: '+17735550100',
        footerText: null,
        applePay: false,
        footerEmail: 'billing@lakesidepeds.example.com',
        showCollections: true,
      });
      const rows = (await auditOf(db)).slice(0, -before);
      expect(rows.map((r) => [r.field, r.actor])).toEqual([
        ['applePay', 'editor'],
        ['footerText', 'editor'],
        ['footerPhone', 'editor'],
      ]);
      expect(new Set(rows.map((r) => r.batch)).size).toBe(1);
    });

    it('declining the confirmation (the default) is exit 5, and nothing changes', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const prompt = scriptedPrompter({ 'Show Collections': 'on' });
      const result = await pops(['--db', db, 'groups', 'edit', 'northshore family medicine'], { terminal: TERMINAL, prompt });
      expect(result.code).toBe(5);
      expect(result.stdout).toContain('showCollections: off → on');
      expect(result.stderr).toMatch(/^pops: not applied: nothing was changed$/m);
      expect(storeDigest(db)).toBe(before);
    });

    it('Ctrl-C at a prompt is exit 5, and nothing changes: at the first prompt (the real prompts), or after some answers', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      // The terminal prompter reads Ctrl-C (ETX) from its input.
      const first = await pops(['--db', db, 'groups', 'edit', '3'], { terminal: TERMINAL, input: '\u0003' });
      expect(first.code).toBe(5);
      expect(first.stderr).toMatch(/^pops: cancelled: nothing was changed$/m);
      const later = await pops(['--db', db, 'groups', 'edit', '3'], {
        terminal: TERMINAL,
        prompt: scriptedPrompter({ 'Show Collections': 'off', 'Footer number': CANCEL }),
      });
      expect(later.code).toBe(5);
      expect(storeDigest(db)).toBe(before);
    });

    it('keeping every value prints `no changes`, asks nothing more, exit 0', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const prompt = scriptedPrompter();
      const result = await pops(['--db', db, 'groups', 'edit', 'Riverbend Orthopedics'], { terminal: TERMINAL, prompt });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('no changes\n');
      expect(prompt.asked.some((q) => q.kind === 'confirm')).toBe(false);
      expect(storeDigest(db)).toBe(before);
    });

    it('an unknown group is exit 3 before any prompt', async () => {
      const db = await makeStore({ demo: true }, backend);
      const prompt = scriptedPrompter();
      const result = await pops(['--db', db, 'groups', 'edit', 'Nowhere'], { terminal: TERMINAL, prompt });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^pops: no such group: "Nowhere"/);
      expect(prompt.asked).toEqual([]);
    });

    it('without a terminal is exit 2 with a hint to use groups set', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'groups', 'edit', 'Lakeside Pediatrics']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: groups edit asks questions and needs a terminal/);
      expect(result.stderr).toContain('pops groups set');
      expect(storeDigest(db)).toBe(before);
    });
  });

  describe('groups delete, asking for confirmation', () => {
    it('asks on a terminal; declining (the default) is exit 5, and nothing changes', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'create', 'Old Clinic']);
      const before = storeDigest(db);
      const prompt = scriptedPrompter();
      const result = await pops(['--db', db, 'groups', 'delete', 'Old Clinic'], { terminal: TERMINAL, prompt });
      expect(prompt.asked).toEqual([{ kind: 'confirm', message: 'Delete group "Old Clinic" (id 4)? This cannot be undone.', defaultValue: false }]);
      expect(result.code).toBe(5);
      expect(storeDigest(db)).toBe(before);
    });
  });

  let session: TerminalSession | undefined;
  afterEach(() => {
    session?.close();
    session = undefined;
  });

  /** Answer each prompt, in order, once it is on screen: `answers[label]` is run for it, else Enter keeps the value. */
  async function answerPrompts(terminal: TerminalSession, answers: Record<string, () => void | Promise<void>> = {}): Promise<void> {
    for (const label of LABELS) {
      await terminal.waitFor(new RegExp(`\\? ${label.replace(/[()]/g, '\\$&')}`));
      const answer = answers[label];
      if (answer) await answer();
      else terminal.keys('Enter');
      await terminal.waitFor(new RegExp(`✔ ${label.replace(/[()]/g, '\\$&')}`));
    }
  }

  describe.skipIf(!HAS_TMUX)('in a real terminal', () => {
    it('groups edit: accepting applies the changes in one audited batch', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = (await auditOf(db)).length;
      const terminal = (session = new TerminalSession(['--db', db, 'groups', 'edit', 'Lakeside Pediatrics']));
      await answerPrompts(terminal, {
        'Footer number': async () => {
          // The current value is the default, in its display form.
          await terminal.waitFor('? Footer number ((312) 555-0142)');
          terminal.type('555-0100');
          terminal.keys('Enter');
          // Validated inline: the prompt stays, with the reason.
          await terminal.waitFor('not a valid North American phone number: "555-0100"');
          terminal.keys('C-u');
          terminal.type('773-555-0100');
          terminal.keys('Enter');
        },
        'Footer text': () => terminal.keys('BSpace', 'Enter'),
        'Apple Pay': () => terminal.keys('Down', 'Enter'),
      });
      const summary = await terminal.waitFor('Apply these changes?');
      expect(summary).toContain('footerPhone: (312) 555-0142 → (773) 555-0100');
      expect(summary).toContain('footerText: "Office hours: Mon–Fri 8:00–17:00" → not set');
      expect(summary).toContain('applePay: on → off');
      expect(summary).toMatch(/Apply these changes\? \(y\/N\)/);
      terminal.type('y');
      terminal.keys('Enter');
      expect(await terminal.exitCode()).toBe(0);

      expect(await showGroup(db, '1')).toMatchObject({
        footerPhone: '+17735550100',
        footerText: null,
        applePay: false,
        footerEmail: 'billing@lakesidepeds.example.com',
        showCollections: true,
      });
      const rows = (await auditOf(db)).slice(0, -before);
      expect(rows.map(({ action, group: name, field, from, to, actor }) => ({ action, group: name, field, from, to, actor }))).toEqual([
        { action: 'set', group: 'Lakeside Pediatrics', field: 'applePay', from: true, to: false, actor: 'tty-tester' },
        { action: 'set', group: 'Lakeside Pediatrics', field: 'footerText', from: 'Office hours: Mon–Fri 8:00–17:00', to: null, actor: 'tty-tester' },
        { action: 'set', group: 'Lakeside Pediatrics', field: 'footerPhone', from: '+13125550142', to: '+17735550100', actor: 'tty-tester' },
      ]);
      expect(new Set(rows.map((r) => r.batch)).size).toBe(1);
    });

    it('groups delete: asks "(y/N)", and deletes and audits once confirmed', async () => {
      const db = await makeStore({ demo: true }, backend);
      await pops(['--db', db, 'groups', 'create', 'Old Clinic']);
      const terminal = (session = new TerminalSession(['--db', db, 'groups', 'delete', 'Old Clinic']));
      await terminal.waitFor('Delete group "Old Clinic" (id 4)? This cannot be undone. (y/N)');
      terminal.type('y');
      terminal.keys('Enter');
      expect(await terminal.exitCode()).toBe(0);
      expect((await pops(['--db', db, 'groups', 'show', 'Old Clinic'])).code).toBe(3);
      expect((await auditOf(db))[0]).toMatchObject({ action: 'delete', group: 'Old Clinic', actor: 'tty-tester' });
    });
  });
});
