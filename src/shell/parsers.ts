// The parsers of argument and option values, shared by every command so that
// one rule has one message. A parser receives the text typed and returns the
// value, or throws a UsageError whose message says what was expected; the
// program prefixes it with the option or argument (`pops: --limit: …`).
import { UsageError } from '../base/errors.js';
import { parseMoney, type Cents } from '../domain/money.js';
import { SETTINGS_BY_KEY, type GroupSettingKey, type SettingDef, type SettingValue } from '../domain/group-settings.js';
import { parseGroupName, parseSettingText } from '../domain/group-validate.js';
import { parseOnOff } from '../domain/setting-kinds.js';
import type { Parser } from './command.js';
import { VIEW_NAMES, type PortalView } from '../domain/portal.js';

const quoted = (raw: string): string => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);

/** on/off (also true/false, yes/no, 1/0), any case. */
export const onOff: Parser<boolean> = (raw) => {
  const parsed = parseOnOff(raw);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.value;
};

/**
 * Money typed by staff, as integer cents: at most two decimals, and written as
 * on screen if they like — a `$` and thousands commas (`$1,000.50`, `-$12`).
 * Files (dumps) keep the strict form of domain/money.ts.
 */
export const money: Parser<Cents> = (raw) => {
  const match = /^(-?)\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d*)?$/.exec(raw.trim());
  const cents = match ? parseMoney(`${match[1]}${match[2].replace(/,/g, '')}${match[3] ?? ''}`) : null;
  if (cents === null) throw new UsageError(`expected money with at most two decimals (e.g. 250, 99.50 or $1,000.50), got ${quoted(raw)}`);
  return cents;
};

/** A count such as --limit: a whole number of at least 1. */
export const positiveWholeNumber: Parser<number> = (raw) => {
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw new UsageError(`expected a whole number of at least 1, got ${quoted(raw)}`);
  return Number(raw.trim());
};

/** A whole number from `min` to `max` (--width). */
export function wholeNumberIn(min: number, max: number): Parser<number> {
  return (raw) => {
    const value = /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!(value >= min && value <= max)) throw new UsageError(`expected a whole number from ${min} to ${max}, got ${quoted(raw)}`);
    return value;
  };
}

/** One of a few words, any case. */
export function oneOf<const W extends string>(words: readonly W[]): Parser<W> {
  return (raw) => {
    const word = raw.trim().toLowerCase() as W;
    if (!words.includes(word)) throw new UsageError(`expected one of ${words.join(', ')}, got ${quoted(raw)}`);
    return word;
  };
}

/** A group named on the command line: its name (any case) or its id; looked up later. */
export const groupRef: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new UsageError('expected a group name or id, got an empty value');
  return raw;
};

/** Text that must not be empty (--search). */
export const nonEmptyText: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new UsageError('needs a non-empty value');
  return raw.trim();
};

/** A file or folder path; `-` where stdin is meant is the command's business. */
export const path: Parser<string> = (raw) => {
  if (raw === '') throw new UsageError('expected a path, got an empty value');
  return raw;
};

/** A new group name: trimmed, 1–80 characters, no control characters. */
export const newGroupName: Parser<string> = (raw) => {
  const parsed = parseGroupName(raw);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.value;
};

/** The value of a setting's flag, as its kind parses text ("" clears an optional setting). */
export function settingValue(key: GroupSettingKey): Parser<SettingValue> {
  const setting: SettingDef = SETTINGS_BY_KEY.get(key)!;
  return (raw) => {
    const parsed = parseSettingText(setting, raw);
    if (!parsed.ok) throw new UsageError(parsed.message);
    return parsed.value;
  };
}

/** `--pages`: views separated by commas (`home,pay`), or `all` for every page and QuickPay; in the order given, without repeats. */
export const viewList: Parser<PortalView[]> = (raw) => {
  const words = raw
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '');
  if (words.length === 0) throw new UsageError(`expected page names separated by commas, or all, got ${quoted(raw)}`);
  const views: PortalView[] = [];
  for (const word of words) {
    if (word === 'all') views.push(...VIEW_NAMES);
    else if ((VIEW_NAMES as readonly string[]).includes(word)) views.push(word as PortalView);
    else throw new UsageError(`unknown page ${quoted(word)}; expected ${VIEW_NAMES.join(', ')} or all`);
  }
  return [...new Set(views)];
};
