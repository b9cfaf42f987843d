// One commander option per catalogue setting (`--show-collections <on|off>`,
// `--footer-phone <number>`, …), shared by `groups create` and `groups set`,
// and the parsing of their values with the catalogue's validators.
import type { Command } from 'commander';
import { GROUP_SETTINGS, flagName, optionKey, type SettingDef, type SettingKind } from '../../domain/group-settings.js';
import type { WantedSettings } from '../../domain/group-changes.js';
import { parseGroupName, parseSettingText } from '../../domain/group-validate.js';
import { UsageError, ValidationError, type Problem } from '../../errors.js';

const PLACEHOLDER: Record<SettingKind, string> = {
  bool: 'on|off',
  phone: 'number',
  email: 'address',
  text: 'text',
  url: 'url',
  landingPage: 'home|account',
};

/** The option's spelling in --help: `--footer-phone <number>`. */
export function settingFlag(setting: SettingDef): string {
  return `${flagName(setting)} <${PLACEHOLDER[setting.kind]}>`;
}

/** Declare every setting's option on `command`. Every option takes a value (SPEC §2). */
export function addSettingOptions(command: Command): Command {
  for (const setting of GROUP_SETTINGS) {
    command.option(settingFlag(setting), setting.nullable ? `${setting.help} ("" clears it)` : setting.help);
  }
  return command;
}

/** The raw option values commander collected, by setting key. */
export type RawSettingOptions = Record<string, unknown>;

/** The settings named on the command line, in catalogue order. */
export function givenSettings(options: RawSettingOptions): SettingDef[] {
  return GROUP_SETTINGS.filter((setting) => options[optionKey(setting)] !== undefined);
}

/**
 * Parse every setting flag given; all problems are reported together, one line
 * each (`pops: --footer-phone: …`), and nothing is returned unless all are valid.
 */
export function parseSettingFlags(options: RawSettingOptions): WantedSettings {
  const wanted: WantedSettings = {};
  const problems: Problem[] = [];
  for (const setting of givenSettings(options)) {
    const raw = String(options[optionKey(setting)]);
    const missing = missingValue(raw);
    const parsed = missing ? { ok: false as const, message: missing } : parseSettingText(setting, raw);
    if (parsed.ok) wanted[setting.key] = parsed.value;
    else problems.push({ where: flagName(setting), message: parsed.message });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return wanted;
}

/**
 * A group name given as an argument (`option` undefined) or as `--name`:
 * trimmed, 1–80 characters, no control characters.
 */
export function parseNameOption(raw: string, option?: string): string {
  const missing = option === undefined ? undefined : missingValue(raw);
  const parsed = missing ? { ok: false as const, message: missing } : parseGroupName(raw);
  if (parsed.ok) return parsed.value;
  throw option === undefined ? new UsageError(parsed.message) : new ValidationError([{ where: option, message: parsed.message }]);
}

/**
 * Commander takes the next word as an option's value even when it is another
 * option (`--footer-text --dry-run`); like the global options, a value that
 * starts with `--` is treated as missing rather than silently stored.
 */
function missingValue(raw: string): string | undefined {
  return raw.startsWith('--') ? `needs a value (got the option ${JSON.stringify(raw)} instead)` : undefined;
}
