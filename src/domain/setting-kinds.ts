// What each kind of group setting does, in one table (docs/formats.md, "Group
// settings"): how a value typed as text (a flag, a CSV cell, a prompt answer)
// or given in JSON is parsed, how it reads on screen and in a CSV cell, how a
// prompt asks for it and how the store keeps it. The catalogue
// (group-settings.ts) names each setting's kind.
import { lazyModule } from '../base/lazy.js';
import { hasControlCharacters, sanitize } from '../base/sanitize.js';
import { normalizePhone } from './phone.js';
import { formatPhone } from './phone-format.js';
import { FOOTER_TEXT_MAX, type SettingDef, type SettingKind, type SettingValue } from './group-settings.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface KindBehaviour {
  /** The value's name in help: `--footer-phone <number>`. */
  placeholder(setting: SettingDef): string;
  /** What a valid value is, for messages: `on or off`. */
  expected(setting: SettingDef): string;
  /** Parse text typed by staff (not empty: an empty text clears a nullable setting before this is asked). */
  parseText(setting: SettingDef, raw: string): Parsed<SettingValue>;
  /** Parse a JSON value (not null). */
  parseJson(setting: SettingDef, raw: unknown): Parsed<SettingValue>;
  /** On screen: plans, `groups show`, the audit table (never null here). */
  display(value: Exclude<SettingValue, null>): string;
  /** In a CSV cell that `groups apply` reads back, or undefined when CSV cannot carry the value. */
  csvCell(value: Exclude<SettingValue, null>): string | undefined;
  /** How a prompt asks: pick one of the words, or type text. */
  prompt: 'select' | 'input';
  /** The value as an input prompt offers it for editing. */
  editText(value: Exclude<SettingValue, null>): string;
  /** The words a value may be, for prompts, help and completion (choice and on/off settings). */
  words?(setting: SettingDef): readonly string[];
  /** To and from the store's column. */
  toColumn(value: SettingValue): string | number | null;
  fromColumn(value: unknown): SettingValue;
}

const ON = new Set(['on', 'true', 'yes', '1']);
const OFF = new Set(['off', 'false', 'no', '0']);

// zod defines what a valid footer e-mail is; it loads on the first e-mail.
const zod = lazyModule<typeof import('zod')>('zod');
let emailSchema: ReturnType<typeof import('zod').email> | undefined;
const isEmail = (text: string): boolean => (emailSchema ??= zod().z.email()).safeParse(text).success;

/** A value quoted for a message, cut to 60 characters. */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** More than `max` characters (code points)? Counted only when the UTF-16 length says it could be. */
export function longerThan(text: string, max: number): boolean {
  return text.length > max && [...text].length > max;
}

/** On/off, as every on/off value is typed: on/off, true/false, yes/no, 1/0, any case. */
export function parseOnOff(raw: string): Parsed<boolean> {
  const word = raw.trim().toLowerCase();
  if (ON.has(word)) return { ok: true, value: true };
  if (OFF.has(word)) return { ok: true, value: false };
  return { ok: false, message: `expected on or off (also true/false, yes/no, 1/0), got ${quoteValue(raw)}` };
}

const expectText = (parse: (setting: SettingDef, raw: string) => Parsed<SettingValue>) => (setting: SettingDef, raw: unknown) =>
  typeof raw === 'string'
    ? raw.trim() === '' && setting.nullable
      ? { ok: true as const, value: null }
      : parse(setting, raw)
    : { ok: false as const, message: `expected text, got ${quoteValue(raw)}` };

const plainText = {
  display: (value: Exclude<SettingValue, null>) => sanitize(value as string),
  csvCell: (value: Exclude<SettingValue, null>) => sanitize(value as string),
  prompt: 'input' as const,
  editText: (value: Exclude<SettingValue, null>) => sanitize(value as string),
  toColumn: (value: SettingValue) => value as string | null,
  fromColumn: (value: unknown) => value as SettingValue,
};

export const SETTING_KINDS: Record<SettingKind, KindBehaviour> = {
  bool: {
    placeholder: () => 'on|off',
    expected: () => 'on or off',
    parseText: (_setting, raw) => parseOnOff(raw),
    parseJson: (_setting, raw) =>
      typeof raw === 'boolean'
        ? { ok: true, value: raw }
        : typeof raw === 'string'
          ? parseOnOff(raw)
          : { ok: false, message: `expected true or false, got ${quoteValue(raw)}` },
    display: (value) => (value ? 'on' : 'off'),
    csvCell: (value) => (value ? 'on' : 'off'),
    prompt: 'select',
    editText: (value) => (value ? 'on' : 'off'),
    words: () => ['on', 'off'],
    toColumn: (value) => (value ? 1 : 0),
    fromColumn: (value) => value === 1,
  },
  phone: {
    ...plainText,
    placeholder: () => 'number',
    expected: () => 'a North American phone number',
    parseText: (_setting, raw) => {
      const phone = normalizePhone(raw);
      return phone.ok ? { ok: true, value: phone.e164 } : { ok: false, message: phone.message };
    },
    parseJson: expectText((setting, raw) => SETTING_KINDS.phone.parseText(setting, raw)),
    display: (value) => formatPhone(value as string),
    editText: (value) => formatPhone(value as string),
  },
  email: {
    ...plainText,
    placeholder: () => 'address',
    expected: () => 'an e-mail address',
    parseText: (_setting, raw) => {
      const email = raw.trim();
      return isEmail(email)
        ? { ok: true, value: email }
        : { ok: false, message: `expected an e-mail address such as billing@example.com, got ${quoteValue(raw)}` };
    },
    parseJson: expectText((setting, raw) => SETTING_KINDS.email.parseText(setting, raw)),
  },
  text: {
    ...plainText,
    placeholder: () => 'text',
    expected: () => `text of up to ${FOOTER_TEXT_MAX} characters`,
    parseText: (_setting, raw) => {
      const text = raw.replace(/\r\n/g, '\n');
      if (longerThan(text, FOOTER_TEXT_MAX)) return { ok: false, message: `text is longer than ${FOOTER_TEXT_MAX} characters (${[...text].length})` };
      if (hasControlCharacters(text, { allowNewline: true }))
        return { ok: false, message: `text contains control characters (only newlines are allowed): ${quoteValue(raw)}` };
      return { ok: true, value: text };
    },
    parseJson: expectText((setting, raw) => SETTING_KINDS.text.parseText(setting, raw)),
    // Quoted on screen: the text may hold spaces at its ends and newlines.
    display: (value) => JSON.stringify(sanitize(value as string, { allowNewline: true })),
    // Stored text has no control characters but newlines (validated); CSV
    // quoting carries those. A text of only spaces (an unchanged cell) cannot
    // be carried back; one of exactly `-` is written `'-` (the formula guard,
    // docs/formats.md "CSV"), which is not the clear cell.
    csvCell: (value) => ((value as string).trim() === '' ? undefined : sanitize(value as string, { allowNewline: true })),
  },
  url: {
    ...plainText,
    placeholder: () => 'url',
    expected: () => 'an https URL',
    parseText: (_setting, raw) => {
      const text = raw.trim();
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return { ok: false, message: `expected an https URL, got ${quoteValue(raw)}` };
      }
      if (url.protocol !== 'https:' || url.hostname === '') return { ok: false, message: `expected an https URL, got ${quoteValue(raw)}` };
      if (text.length > 2000 || hasControlCharacters(text)) return { ok: false, message: `not an acceptable URL: ${quoteValue(raw)}` };
      return { ok: true, value: text };
    },
    parseJson: expectText((setting, raw) => SETTING_KINDS.url.parseText(setting, raw)),
  },
  choice: {
    ...plainText,
    // The last word of the setting's name (`<page>`, `<function>`): help lists the words themselves, and a
    // short name keeps the option column narrow enough for help to wrap at 80 columns.
    placeholder: (setting) => /[A-Z][a-z]+$/.exec(setting.key)?.[0].toLowerCase() ?? 'word',
    expected: (setting) => orList(setting.choices ?? []),
    parseText: (setting, raw) => {
      const word = raw.trim().toLowerCase();
      return setting.choices?.includes(word)
        ? { ok: true, value: word }
        : { ok: false, message: `expected ${orList(setting.choices ?? [])}, got ${quoteValue(raw)}` };
    },
    parseJson: expectText((setting, raw) => SETTING_KINDS.choice.parseText(setting, raw)),
    prompt: 'select',
    words: (setting) => setting.choices ?? [],
  },
  color: {
    ...plainText,
    placeholder: () => '#rrggbb',
    expected: () => 'a color #rrggbb',
    parseText: (_setting, raw) => {
      const text = raw.trim();
      return /^#[0-9a-f]{6}$/i.test(text)
        ? { ok: true, value: text.toLowerCase() }
        : { ok: false, message: `expected a color as #rrggbb (six hex digits), got ${quoteValue(raw)}` };
    },
    parseJson: expectText((setting, raw) => SETTING_KINDS.color.parseText(setting, raw)),
  },
};

/** `home or account`, `close, logout or none`. */
function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export function kindOf(setting: SettingDef): KindBehaviour {
  return SETTING_KINDS[setting.kind];
}
