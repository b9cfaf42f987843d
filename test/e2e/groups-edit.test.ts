// pops groups edit, and the confirmation of groups delete, in a real
// pseudo-terminal (tmux): prompts labelled in words, current values as
// defaults, validation as you type, "Apply these changes?" (SPEC §6).
import { afterEach, describe, expect, it } from 'vitest';
import { makeStore, pops, storeDigest } from '../helpers/cli.js';
import { HAS_TMUX, TerminalSession } from '../helpers/tmux.js';

type Json = any;
const auditOf = (db: string): Json[] => JSON.parse(pops(['--db', db, 'audit', '--all', '--json']).stdout);

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
];

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

describe.skipIf(!HAS_TMUX)('groups edit in a terminal', () => {
  it('accepting applies the changes in one audited batch', async () => {
    const db = makeStore({ demo: true });
    const before = auditOf(db).length;
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

    const group = JSON.parse(pops(['--db', db, 'groups', 'show', '1', '--json']).stdout);
    expect(group).toMatchObject({ footerPhone: '+17735550100', footerText: null, applePay: false, footerEmail: 'billing@lakesidepeds.example.com', showCollections: true });
    const rows = auditOf(db).slice(0, -before);
    expect(rows.map(({ action, group: name, field, from, to, actor }) => ({ action, group: name, field, from, to, actor }))).toEqual([
      { action: 'set', group: 'Lakeside Pediatrics', field: 'applePay', from: true, to: false, actor: 'tty-tester' },
      { action: 'set', group: 'Lakeside Pediatrics', field: 'footerText', from: 'Office hours: Mon–Fri 8:00–17:00', to: null, actor: 'tty-tester' },
      { action: 'set', group: 'Lakeside Pediatrics', field: 'footerPhone', from: '+13125550142', to: '+17735550100', actor: 'tty-tester' },
    ]);
    expect(new Set(rows.map((r) => r.batch)).size).toBe(1);
  });

  it('declining the confirmation (the default) is exit 5, and nothing changes', async () => {
    const db = makeStore({ demo: true });
    const before = storeDigest(db);
    const terminal = (session = new TerminalSession(['--db', db, 'groups', 'edit', 'northshore family medicine']));
    await answerPrompts(terminal, { 'Show Collections': () => terminal.keys('Down', 'Enter') });
    await terminal.waitFor('showCollections: off → on');
    await terminal.waitFor('Apply these changes?');
    terminal.keys('Enter');
    expect(await terminal.exitCode()).toBe(5);
    expect(await terminal.waitFor('pops: not applied: nothing was changed')).toBeTruthy();
    expect(storeDigest(db)).toBe(before);
  });

  it('Ctrl-C at a prompt is exit 5, and nothing changes', async () => {
    const db = makeStore({ demo: true });
    const before = storeDigest(db);
    const terminal = (session = new TerminalSession(['--db', db, 'groups', 'edit', '3']));
    await terminal.waitFor('? Show Collections');
    terminal.keys('Enter');
    await terminal.waitFor('? Footer number');
    terminal.keys('C-c');
    expect(await terminal.exitCode()).toBe(5);
    expect(storeDigest(db)).toBe(before);
  });

  it('keeping every value prints `no changes`, asks nothing more, exit 0', async () => {
    const db = makeStore({ demo: true });
    const before = storeDigest(db);
    const terminal = (session = new TerminalSession(['--db', db, 'groups', 'edit', 'Riverbend Orthopedics']));
    await answerPrompts(terminal);
    expect(await terminal.exitCode()).toBe(0);
    const screen = terminal.screen();
    expect(screen).toMatch(/^no changes$/m);
    expect(screen).not.toContain('Apply these changes?');
    expect(storeDigest(db)).toBe(before);
  });

  it('an unknown group is exit 3 before any prompt', async () => {
    const db = makeStore({ demo: true });
    const terminal = (session = new TerminalSession(['--db', db, 'groups', 'edit', 'Nowhere']));
    expect(await terminal.exitCode()).toBe(3);
    expect(terminal.screen()).toContain('pops: no such group: "Nowhere"');
  });
});

describe('groups edit without a terminal', () => {
  it('is exit 2 with a hint to use groups set', () => {
    const db = makeStore({ demo: true });
    const before = storeDigest(db);
    const result = pops(['--db', db, 'groups', 'edit', 'Lakeside Pediatrics']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pops: groups edit asks questions and needs a terminal/);
    expect(result.stderr).toContain('pops groups set');
    expect(storeDigest(db)).toBe(before);
  });
});

describe.skipIf(!HAS_TMUX)('groups delete in a terminal', () => {
  it('asks for confirmation; declining (the default) is exit 5', async () => {
    const db = makeStore({ demo: true });
    pops(['--db', db, 'groups', 'create', 'Old Clinic']);
    const before = storeDigest(db);
    const terminal = (session = new TerminalSession(['--db', db, 'groups', 'delete', 'Old Clinic']));
    await terminal.waitFor('Delete group "Old Clinic" (id 4)? This cannot be undone. (y/N)');
    terminal.keys('Enter');
    expect(await terminal.exitCode()).toBe(5);
    expect(storeDigest(db)).toBe(before);
  });

  it('deletes and audits once confirmed', async () => {
    const db = makeStore({ demo: true });
    pops(['--db', db, 'groups', 'create', 'Old Clinic']);
    const terminal = (session = new TerminalSession(['--db', db, 'groups', 'delete', 'Old Clinic']));
    await terminal.waitFor('(y/N)');
    terminal.type('y');
    terminal.keys('Enter');
    expect(await terminal.exitCode()).toBe(0);
    expect(pops(['--db', db, 'groups', 'show', 'Old Clinic']).code).toBe(3);
    expect(auditOf(db)[0]).toMatchObject({ action: 'delete', group: 'Old Clinic', actor: 'tty-tester' });
  });
});
