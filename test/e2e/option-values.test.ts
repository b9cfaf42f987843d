// One rule for option values, for every option of every command (docs/design-choices.md,
// "Hardening (v1.1)"): `--opt=value` is always a value; `--opt value` takes the next
// word unless it is an option of that command or a global option — then exit 2
// "option needs a value", with nothing written.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStore, pops, storeDigest } from '../helpers/cli.js';
import { COMMAND_TREE } from '../../src/cli.js';
import { isCommandGroup, type CommandSpec } from '../../src/shell/command.js';

let demo: string;
beforeAll(async () => {
  demo = await makeStore({ demo: true });
});

async function footerText(db: string): Promise<unknown> {
  const show = await pops(['--db', db, 'groups', 'show', 'Lakeside Pediatrics', '--json']);
  expect(show.code, show.stderr).toBe(0);
  return JSON.parse(show.stdout).footerText;
}

describe('a value that looks like an option but is not one of the command', () => {
  it('is a value: --footer-text "-- Closed Mondays --"', async () => {
    const db = await makeStore({ demo: true });
    const result = await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--footer-text', '-- Closed Mondays --']);
    expect(result.code, result.stderr).toBe(0);
    expect(await footerText(db)).toBe('-- Closed Mondays --');
  });

  it('is a value even when it is an option of another command (--json is not one of groups set)', async () => {
    const db = await makeStore({ demo: true });
    const result = await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--footer-text', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(await footerText(db)).toBe('--json');
  });

  it('--opt=value is always a value, even one that names an option of the command', async () => {
    const db = await makeStore({ demo: true });
    const result = await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--footer-text=--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/dry run/);
    expect(await footerText(db)).toBe('--dry-run');
  });

  it('a negative amount is a value: --min-total -10', async () => {
    const result = await pops(['--db', demo, 'accounts', 'list', '--min-total', '-10', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).length).toBeGreaterThan(0);
  });
});

describe('an option of the command (or a global one) where the value should be', () => {
  it.each([
    [
      ['accounts', 'list', '--search', '--json'],
      '--search: option needs a value (--json is an option)',
      'To give "--json" as the value, write --search=--json.',
    ],
    [
      ['accounts', 'list', '--search', '--sort', 'total'],
      '--search: option needs a value (--sort is an option)',
      'To give "--sort" as the value, write --search=--sort.',
    ],
    [['groups', 'set', 'Lakeside Pediatrics', '--footer-text', '--dry-run'], '--footer-text: option needs a value (--dry-run is an option)', undefined],
    [
      ['groups', 'set', 'Lakeside Pediatrics', '--footer-text', '--show-collections=on'],
      '--footer-text: option needs a value (--show-collections=on is an option)',
      undefined,
    ],
    [['groups', 'set', 'Lakeside Pediatrics', '--footer-text', '--no-color'], '--footer-text: option needs a value (--no-color is an option)', undefined],
    [['groups', 'set', 'Lakeside Pediatrics', '--footer-text', '-h'], '--footer-text: option needs a value (-h is an option)', undefined],
    [['groups', 'set', 'Lakeside Pediatrics', '--footer-text', '--'], '--footer-text: option needs a value (-- ends the options)', undefined],
    [['accounts', 'list', '--search'], '--search: option needs a value', undefined],
    [['--db', '--json', 'accounts', 'list'], '--db: option needs a value (--json is an option)', undefined],
    [['--db', '', 'accounts', 'list'], '--db: option needs a non-empty value', undefined],
    [
      ['--actor', '--dry-run', 'groups', 'set', 'Lakeside Pediatrics', '--footer-text', 'x'],
      '--actor: option needs a value (--dry-run is an option)',
      undefined,
    ],
  ])('pops %j: exit 2, nothing written', async (args, message, hint) => {
    const db = await makeStore({ demo: true });
    const before = storeDigest(db);
    const dbFirst = args[0] === '--db' ? [] : ['--db', db];
    const result = await pops([...dbFirst, ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const [first, second] = result.stderr.split('\n');
    expect(first).toBe(`pops: ${message}`);
    if (hint !== undefined) expect(second).toBe(hint);
    expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(storeDigest(db)).toBe(before);
  });

  it('--db followed by another global option: exit 2 naming --db', async () => {
    const result = await pops(['--db', '--actor', 'x', 'groups', 'list']);
    expect({ code: result.code, stderr: result.stderr.split('\n')[0] }).toEqual({ code: 2, stderr: 'pops: --db: option needs a value (--actor is an option)' });
  });

  it('--actor takes a value that starts with dashes but is no option', async () => {
    const db = await makeStore({ demo: true });
    const set = await pops(['--db', db, '--actor', '-- night shift --', 'groups', 'set', 'Lakeside Pediatrics', '--auto-post', 'on']);
    expect(set.code, set.stderr).toBe(0);
    const audit = await pops(['--db', db, 'audit', '--json', '--limit', '1']);
    expect(JSON.parse(audit.stdout)[0].actor).toBe('-- night shift --');
  });
});

/** Every command of the tree with its command words: `['groups', 'set']`. */
function everyCommand(): { words: string[]; spec: CommandSpec }[] {
  return COMMAND_TREE.flatMap((entry) =>
    isCommandGroup(entry) ? entry.subcommands.map((spec) => ({ words: [entry.name, spec.name], spec })) : [{ words: [entry.name], spec: entry }],
  );
}

describe('the same rule for every option of every command', () => {
  const valueOptions = everyCommand().flatMap(({ words, spec }) =>
    Object.values(spec.options)
      .filter((option) => option.parse !== undefined)
      .map((option) => ({ words, flag: /--[a-z0-9-]+/.exec(option.flags)![0] })),
  );

  it('covers the commands that take values', () => {
    expect(valueOptions.length).toBeGreaterThan(30);
    expect(valueOptions.map((o) => `${o.words.join(' ')} ${o.flag}`)).toEqual(
      expect.arrayContaining(['accounts list --search', 'groups set --footer-text', 'groups apply --format', 'preview --width']),
    );
  });

  it('each one followed by --help is exit 2 "option needs a value", never help or a run', async () => {
    for (const { words, flag } of valueOptions) {
      const result = await pops(['--db', demo, ...words, flag, '--help']);
      expect({ line: [...words, flag].join(' '), code: result.code, stdout: result.stdout, first: result.stderr.split('\n')[0] }).toEqual({
        line: [...words, flag].join(' '),
        code: 2,
        stdout: '',
        first: `pops: ${flag}: option needs a value (--help is an option)`,
      });
    }
  });
});
