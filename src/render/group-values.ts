// How a setting's value reads on screen (plans, `groups show`, the audit
// table, prompts): as its kind displays it (domain/setting-kinds.ts).
import { SETTINGS_BY_KEY, type SettingValue } from '../domain/group-settings.js';
import { kindOf } from '../domain/setting-kinds.js';
import { sanitize } from '../base/sanitize.js';

export const NOT_SET = 'not set';

/** `key` is a setting's key, or `name` for a rename. */
export function displaySetting(key: string, value: SettingValue): string {
  if (value === null) return NOT_SET;
  const setting = SETTINGS_BY_KEY.get(key);
  if (setting) return kindOf(setting).display(value);
  return key === 'name' ? JSON.stringify(sanitize(String(value), { allowNewline: true })) : sanitize(String(value));
}

/** `field: old → new`, the form every plan prints. */
export function changeLine(change: { field: string; from: SettingValue; to: SettingValue }): string {
  return `${change.field}: ${displaySetting(change.field, change.from)} → ${displaySetting(change.field, change.to)}`;
}
