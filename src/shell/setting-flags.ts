// One option per catalogue setting (`--show-collections <on|off>`,
// `--footer-phone <number>`, …), shared by `groups create` and `groups set`:
// declared from the catalogue, parsed by each setting's kind.
import { GROUP_SETTINGS, flagName, type GroupSettingKey, type SettingValue } from '../domain/group-settings.js';
import type { WantedSettings } from '../domain/group-changes.js';
import { kindOf } from '../domain/setting-kinds.js';
import { valueOption, type OptionSpec } from './command.js';
import { settingValue } from './parsers.js';

export type SettingOptions = Record<GroupSettingKey, OptionSpec<SettingValue | undefined>>;

let built: SettingOptions | undefined;

/** `--footer-phone <number>`: every setting's option. Every one takes a value. Built once, for both commands. */
export function settingOptions(): SettingOptions {
  return (built ??= Object.fromEntries(
    GROUP_SETTINGS.map((setting) => {
      const kind = kindOf(setting);
      const option = valueOption(
        `${flagName(setting)} <${kind.placeholder(setting)}>`,
        setting.nullable ? `${setting.help} ("" clears it)` : setting.help,
        settingValue(setting.key),
        kind.words?.(setting),
      );
      return [setting.key, option];
    }),
  ) as SettingOptions);
}

/** The settings given on the command line, in catalogue order. */
export function givenSettings(opts: Partial<Record<GroupSettingKey, SettingValue | undefined>>): WantedSettings {
  const wanted: WantedSettings = {};
  for (const setting of GROUP_SETTINGS) {
    const value = opts[setting.key];
    if (value !== undefined) wanted[setting.key] = value;
  }
  return wanted;
}
