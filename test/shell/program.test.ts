// The command framework: a command's declaration becomes its commander
// command, and every argument and option reaches `run` parsed once, with
// all problems reported together, each naming its flag.
import { describe, expect, it } from 'vitest';
import { ValidationError, UsageError } from '../../src/base/errors.js';
import { GROUP_SETTINGS, flagName } from '../../src/domain/group-settings.js';
import { arg, defineCommand, flag, valueOption, type CommandTreeEntry } from '../../src/shell/command.js';
import type { Deps } from '../../src/shell/context.js';
import { newGroupName } from '../../src/shell/parsers.js';
import { buildProgram, findCommand } from '../../src/shell/program.js';
import { lineOptions, refuseOptionsAsValues } from '../../src/shell/option-values.js';
import { givenSettings, settingOptions } from '../../src/shell/setting-flags.js';
import { pops } from '../helpers/cli.js';

/** A one-command program whose run hands back what it received. */
async function parse(args: string[]): Promise<Record<string, any>> {
  let received: Record<string, any> | undefined;
  const probe = defineCommand({
    name: 'probe',
    summary: 'a probe',
    args: [arg('name', 'a group name', newGroupName)],
    options: { ...settingOptions(), rename: valueOption('--rename <new>', 'a new name', newGroupName), dryRun: flag('--dry-run', 'nothing') },
    examples: [],
    run(opts) {
      received = opts;
    },
  });
  const tree: CommandTreeEntry[] = [probe];
  const errors: string[] = [];
  const io = { out: () => undefined, err: (text: string) => void errors.push(text), stdoutIsTTY: false, columns: undefined };
  const program = buildProgram(tree, { version: '0', description: '', footer: '', helpSummary: '' }, io, () => ({}) as Deps);
  try {
    // As main() does: the one option-value rule first (src/shell/option-values.ts).
    refuseOptionsAsValues(lineOptions(tree, ['probe', ...args]), ['probe', ...args]);
    await program.parseAsync(['probe', ...args], { from: 'user' });
  } catch (error) {
    if (errors.length > 0) throw new Error(errors.join(''), { cause: error });
    throw error;
  }
  return received!;
}

describe('setting flags', () => {
  it('declare one option per catalogue setting, named by flagName, each taking a value', () => {
    const options = Object.values(settingOptions());
    expect(options.map((o) => o.flags.split(' ')[0])).toEqual(GROUP_SETTINGS.map(flagName));
    expect(options.every((o) => o.parse !== undefined)).toBe(true);
    expect(options.map((o) => o.flags)).toEqual(
      expect.arrayContaining([
        '--show-collections <on|off>',
        '--footer-phone <number>',
        '--landing-page <page>',
        '--logout-function <function>',
        '--theme-primary <#rrggbb>',
      ]),
    );
    // A choice setting's words are listed in help (the option column stays narrow enough to wrap at 80).
    expect(settingOptions().logoutFunction.choices).toEqual(['close', 'logout', 'none']);
  });

  it('help of groups set and groups create wraps its options at 80 columns', async () => {
    for (const command of [
      ['groups', 'set'],
      ['groups', 'create'],
    ]) {
      const { stdout } = await pops([...command, '--help']);
      // Every line but the examples (a command line is not wrapped).
      const lines = stdout.split('\n').filter((line) => !line.startsWith('  pops '));
      expect(lines.filter((line) => line.startsWith('  --')).length).toBeGreaterThan(30);
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    }
  });

  it('reach run parsed by each setting kind, under the setting key', async () => {
    const opts = await parse(['Harbor', '--show-collections', 'on', '--footer-phone=312-555-0142', '--include-new-charges', 'no', '--landing-page', 'Account']);
    expect(givenSettings(opts)).toEqual({ showCollections: true, footerPhone: '+13125550142', includeNewCharges: false, landingPage: 'account' });
    expect(opts.dryRun).toBe(false);
    expect(opts.name).toBe('Harbor');
  });

  it('clear a nullable setting given an empty value', async () => {
    expect(givenSettings(await parse(['Harbor', '--footer-email', '', '--logo-url', '']))).toEqual({ footerEmail: null, logoUrl: null });
  });

  it('refuse an option without its value', async () => {
    await expect(parse(['Harbor', '--show-collections'])).rejects.toThrow(new UsageError('--show-collections: option needs a value'));
  });

  it('refuse another option where the value should be, rather than store it', async () => {
    await expect(parse(['Harbor', '--footer-text', '--dry-run'])).rejects.toThrow(
      new UsageError('--footer-text: option needs a value (--dry-run is an option)', 'To give "--dry-run" as the value, write --footer-text=--dry-run.'),
    );
  });

  it('report every invalid value, each with its flag', async () => {
    const error = await parse([
      'Harbor',
      '--show-collections',
      'maybe',
      '--footer-phone',
      '555-555-0142',
      '--footer-email',
      'nobody',
      '--landing-page',
      'dashboard',
    ]).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.where)).toEqual(['--show-collections', '--footer-phone', '--footer-email', '--landing-page']);
    expect((error as ValidationError).problems[0].message).toBe('expected on or off (also true/false, yes/no, 1/0), got "maybe"');
  });
});

describe('group names on the command line', () => {
  it('are trimmed and validated as group names, as arguments and as options', async () => {
    expect((await parse(['  Harbor Dermatology '])).name).toBe('Harbor Dermatology');
    await expect(parse(['Harbor', '--rename', 'x'.repeat(81)])).rejects.toThrow(/^--rename: group name is longer than 80 characters/);
    await expect(parse([''])).rejects.toThrow(/^group name must not be empty/);
  });

  it('as an option, refuse another option where the name should be', async () => {
    await expect(parse(['Harbor', '--rename', '--dry-run'])).rejects.toThrow(/^--rename: option needs a value/);
  });
});

describe('the program', () => {
  it('finds commands by path', () => {
    const program = buildProgram(
      [],
      { version: '0', description: '', footer: '', helpSummary: '' },
      { out: () => undefined, err: () => undefined, stdoutIsTTY: false, columns: undefined },
      () => ({}) as Deps,
    );
    expect(findCommand(program, [])).toBe(program);
    expect(findCommand(program, ['nothing'])).toBeUndefined();
  });
});
