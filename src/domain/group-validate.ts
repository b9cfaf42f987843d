// Validation of group names and setting values typed by staff (flags, CSV
// cells, prompts) or given in JSON (dumps, apply files). Each kind's rules are
// in setting-kinds.ts.
import { hasControlCharacters } from '../base/sanitize.js';
import { GROUP_NAME_MAX, type SettingDef, type SettingValue } from './group-settings.js';
import { kindOf, longerThan, quoteValue, type Parsed } from './setting-kinds.js';

export type { Parsed } from './setting-kinds.js';

export function parseGroupName(raw: unknown): Parsed<string> {
  if (typeof raw !== 'string') return { ok: false, message: `expected a group name (text), got ${quoteValue(raw)}` };
  const name = raw.trim();
  if (name === '') return { ok: false, message: 'group name must not be empty' };
  if (longerThan(name, GROUP_NAME_MAX)) {
    return { ok: false, message: `group name is longer than ${GROUP_NAME_MAX} characters (${[...name].length})` };
  }
  if (hasControlCharacters(name)) return { ok: false, message: `group name contains control characters: ${quoteValue(name)}` };
  return { ok: true, value: name };
}

/** Parse a value typed as text (a flag, a CSV cell, a prompt answer). An empty text clears a nullable setting. */
export function parseSettingText(setting: SettingDef, raw: string): Parsed<SettingValue> {
  if (raw.trim() === '' && setting.nullable) return { ok: true, value: null };
  return kindOf(setting).parseText(setting, raw);
}

/** Parse a value given in JSON: booleans for on/off settings, strings or null otherwise. */
export function parseSettingJson(setting: SettingDef, raw: unknown): Parsed<SettingValue> {
  if (raw === null) return setting.nullable ? { ok: true, value: null } : { ok: false, message: `${setting.key} cannot be null` };
  return kindOf(setting).parseJson(setting, raw);
}
