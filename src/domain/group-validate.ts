// Validation of group names and setting values typed by staff (flags, CSV
// cells, prompts) or given in JSON (dumps, apply files). Loads zod and the
// phone metadata, so only commands that accept settings import it.
import { lazyModule } from '../lazy.js';
import { normalizePhone } from './phone.js';
import { FOOTER_TEXT_MAX, GROUP_NAME_MAX, type SettingDef, type SettingValue } from './group-settings.js';
import { hasControlCharacters } from '../render/sanitize.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ON = new Set(['on', 'true', 'yes', '1']);
const OFF = new Set(['off', 'false', 'no', '0']);
// zod defines what a valid footer e-mail is (SPEC §4); it loads on the first e-mail.
const zod = lazyModule<typeof import('zod')>('zod');
let emailSchema: ReturnType<typeof import('zod').email> | undefined;
const isEmail = (text: string): boolean => (emailSchema ??= zod().z.email()).safeParse(text).success;
const quote = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
};

export function parseGroupName(raw: unknown): Parsed<string> {
  if (typeof raw !== 'string') return { ok: false, message: `expected a group name (text), got ${quote(raw)}` };
  const name = raw.trim();
  if (name === '') return { ok: false, message: 'group name must not be empty' };
  if (longerThan(name, GROUP_NAME_MAX)) {
    return { ok: false, message: `group name is longer than ${GROUP_NAME_MAX} characters (${[...name].length})` };
  }
  if (hasControlCharacters(name)) return { ok: false, message: `group name contains control characters: ${quote(name)}` };
  return { ok: true, value: name };
}

/** More than `max` characters (code points)? Counted only when the UTF-16 length says it could be. */
function longerThan(text: string, max: number): boolean {
  return text.length > max && [...text].length > max;
}

/**
 * Parse a value typed as text (a flag, a CSV cell, a prompt answer). An empty
 * string clears a nullable setting.
 */
export function parseSettingText(setting: SettingDef, raw: string): Parsed<SettingValue> {
  if (setting.kind === 'bool') {
    const word = raw.trim().toLowerCase();
    if (ON.has(word)) return { ok: true, value: true };
    if (OFF.has(word)) return { ok: true, value: false };
    return { ok: false, message: `expected on or off (also true/false, yes/no, 1/0), got ${quote(raw)}` };
  }
  if (raw.trim() === '' && setting.nullable) return { ok: true, value: null };
  return parseSettingValue(setting, raw);
}

/** Parse a value given in JSON: booleans for on/off settings, strings or null otherwise. */
export function parseSettingJson(setting: SettingDef, raw: unknown): Parsed<SettingValue> {
  if (raw === null) {
    return setting.nullable ? { ok: true, value: null } : { ok: false, message: `${setting.key} cannot be null` };
  }
  if (setting.kind === 'bool') {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    if (typeof raw === 'string') return parseSettingText(setting, raw);
    return { ok: false, message: `expected true or false, got ${quote(raw)}` };
  }
  if (typeof raw !== 'string') return { ok: false, message: `expected text, got ${quote(raw)}` };
  if (raw.trim() === '' && setting.nullable) return { ok: true, value: null };
  return parseSettingValue(setting, raw);
}

function parseSettingValue(setting: SettingDef, raw: string): Parsed<SettingValue> {
  switch (setting.kind) {
    case 'phone': {
      const phone = normalizePhone(raw);
      return phone.ok ? { ok: true, value: phone.e164 } : { ok: false, message: phone.message };
    }
    case 'email': {
      const email = raw.trim();
      return isEmail(email)
        ? { ok: true, value: email }
        : { ok: false, message: `expected an e-mail address such as billing@example.com, got ${quote(raw)}` };
    }
    case 'text': {
      const text = raw.replace(/\r\n/g, '\n');
      if (longerThan(text, FOOTER_TEXT_MAX)) {
        return { ok: false, message: `text is longer than ${FOOTER_TEXT_MAX} characters (${[...text].length})` };
      }
      if (hasControlCharacters(text, { allowNewline: true })) {
        return { ok: false, message: `text contains control characters (only newlines are allowed): ${quote(raw)}` };
      }
      return { ok: true, value: text };
    }
    case 'url': {
      const text = raw.trim();
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return { ok: false, message: `expected an https URL, got ${quote(raw)}` };
      }
      if (url.protocol !== 'https:' || url.hostname === '') {
        return { ok: false, message: `expected an https URL, got ${quote(raw)}` };
      }
      if (text.length > 2000 || hasControlCharacters(text)) return { ok: false, message: `not an acceptable URL: ${quote(raw)}` };
      return { ok: true, value: text };
    }
    case 'landingPage': {
      const page = raw.trim().toLowerCase();
      return page === 'home' || page === 'account'
        ? { ok: true, value: page }
        : { ok: false, message: `expected home or account, got ${quote(raw)}` };
    }
    case 'bool':
      return parseSettingText(setting, raw);
  }
}
