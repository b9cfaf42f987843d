// The setting flags of `groups create` and `groups set` come from the settings
// catalogue: one option per setting, each taking a value (SPEC §2, §4).
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { GROUP_SETTINGS, flagName } from '../../../src/domain/group-settings.js';
import { ValidationError, UsageError } from '../../../src/errors.js';
import { addSettingOptions, givenSettings, parseNameOption, parseSettingFlags } from '../../../src/commands/groups/setting-flags.js';

/** Parse `args` with a command carrying the setting options; return the raw option values. */
function optionsOf(args: string[]): Record<string, unknown> {
  const command = addSettingOptions(new Command('set').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }));
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('setting flags', () => {
  it('declare one option per catalogue setting, named by flagName, each taking a value', () => {
    const command = addSettingOptions(new Command('set'));
    expect(command.options.map((o) => o.long)).toEqual(GROUP_SETTINGS.map(flagName));
    expect(command.options.every((o) => o.required)).toBe(true);
    expect(command.options.map((o) => o.flags)).toContain('--show-collections <on|off>');
    expect(command.options.map((o) => o.flags)).toContain('--footer-phone <number>');
    expect(command.options.map((o) => o.flags)).toContain('--landing-page <home|account>');
  });

  it('store each value under the setting key', () => {
    const options = optionsOf(['--show-collections', 'on', '--footer-phone=312-555-0142', '--include-new-charges', 'no']);
    expect(givenSettings(options).map((s) => s.key)).toEqual(['showCollections', 'footerPhone', 'includeNewCharges']);
    expect(parseSettingFlags(options)).toEqual({ showCollections: true, footerPhone: '+13125550142', includeNewCharges: false });
  });

  it('clear a nullable setting given an empty value', () => {
    expect(parseSettingFlags(optionsOf(['--footer-email', '', '--logo-url', '']))).toEqual({ footerEmail: null, logoUrl: null });
  });

  it('refuse an option without its value', () => {
    expect(() => optionsOf(['--show-collections'])).toThrow(/argument missing/);
  });

  it('refuse another option where the value should be, rather than store it', () => {
    const options = optionsOf(['--footer-text', '--show-collections']);
    expect(() => parseSettingFlags(options)).toThrow(ValidationError);
    try {
      parseSettingFlags(options);
    } catch (error) {
      expect((error as ValidationError).problems).toEqual([{ where: '--footer-text', message: expect.stringMatching(/needs a value/) }]);
    }
  });

  it('report every invalid value, each with its flag', () => {
    const options = optionsOf(['--show-collections', 'maybe', '--footer-phone', '555-555-0142', '--footer-email', 'nobody', '--landing-page', 'dashboard']);
    try {
      parseSettingFlags(options);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).problems.map((p) => p.where)).toEqual(['--show-collections', '--footer-phone', '--footer-email', '--landing-page']);
    }
  });
});

describe('group names on the command line', () => {
  it('are validated as group names', () => {
    expect(parseNameOption('  Harbor Dermatology ')).toBe('Harbor Dermatology');
    expect(() => parseNameOption('')).toThrow(UsageError);
    expect(() => parseNameOption('x'.repeat(81), '--name')).toThrow(ValidationError);
  });

  it('as --name, refuse another option where the name should be', () => {
    expect(() => parseNameOption('--dry-run', '--name')).toThrow(ValidationError);
  });
});
