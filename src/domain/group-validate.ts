// Validation of group names and setting values typed by staff (flags, CSV
// cells, prompts) or given in JSON (dumps, apply files). Each kind's rules are
// in setting-kinds.ts.
import { hasControlCharacters } from '../base/sanitize.js';
import { newGroupNameProblem, normalizeGroupName } from './group-names.js';
import { GROUP_NAME_MAX, type SettingDef, type SettingValue } from './group-settings.js';
import { kindOf, longerThan, quoteValue, type Parsed } from './setting-kinds.js';

export type { Parsed } from './setting-kinds.js';

/**
 * A new group's name (create, set --name, apply --create, import): a group
 * reference's rules, and no invisible characters, not digits alone
 * (docs/design-choices.md, "Hardening (v1.1)"). Returns the name as stored.
 */
export function parseGroupName(raw: unknown): Parsed<string> {
  const parsed = parseGroupReference(raw);
  if (!parsed.ok) return parsed;
  const problem = newGroupNameProblem(raw as string);
  return problem === undefined ? parsed : { ok: false, message: problem };
}

/**
 * The name of a group that may already exist (a row of `groups apply`):
 * normalized as names are stored (NFC, single ordinary spaces, trimmed),
 * 1–80 characters, no control characters.
 */
export function parseGroupReference(raw: unknown): Parsed<string> {
  if (typeof raw !== 'string') return { ok: false, message: `expected a group name (text), got ${quoteValue(raw)}` };
  const name = normalizeGroupName(raw);
  if (name === '') return { ok: false, message: 'group name must not be empty' };
  if (longerThan(name, GROUP_NAME_MAX)) {
    return { ok: false, message: `group name is longer than ${GROUP_NAME_MAX} characters (${[...name].length})` };
  }
  if (hasControlCharacters(raw.trim())) return { ok: false, message: `group name contains control characters: ${quoteValue(raw.trim())}` };
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
