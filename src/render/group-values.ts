// How a setting's value reads on screen (plans, `groups show`, prompts).
import { SETTINGS_BY_KEY, type SettingValue } from '../domain/group-settings.js';
import { formatPhone } from '../domain/phone-format.js';
import { sanitize } from './sanitize.js';

export const NOT_SET = 'not set';

export function displaySetting(key: string, value: SettingValue): string {
  if (value === null) return NOT_SET;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  const setting = SETTINGS_BY_KEY.get(key);
  if (setting?.kind === 'phone') return formatPhone(value);
  if (setting?.kind === 'text' || key === 'name') return JSON.stringify(sanitize(value, { allowNewline: true }));
  return sanitize(value);
}

/** `field: old → new`, the form every plan prints. */
export function changeLine(change: { field: string; from: SettingValue; to: SettingValue }): string {
  return `${change.field}: ${displaySetting(change.field, change.from)} → ${displaySetting(change.field, change.to)}`;
}
