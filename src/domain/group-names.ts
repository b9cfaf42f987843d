// Group names as people read them (docs/design-choices.md, "Hardening (v1.1)"):
// one spelling stored (NFC, ordinary single spaces), one key to compare them
// (NFC + case folding, invisible characters ignored), the rules a new name
// must meet, and the closest name for a "did you mean".

// Unicode format characters (Cf): zero-width spaces and joiners, the byte
// order mark, the soft hyphen, bidirectional marks. Invisible, so two names
// that differ only by one of them look the same.
const FORMAT_CHARACTER = /\p{Cf}/u;
const FORMAT_CHARACTERS = /\p{Cf}/gu;
// Every kind of space (no-break, narrow no-break, ideographic, …) and runs of
// them. Not \s: to JavaScript the byte order mark is a space, but it is a format character.
const SPACES = /[\p{Zs}\t\n\v\f\r\u2028\u2029]+/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const DIGITS_ONLY = /^\p{Nd}+$/u;

/** The spelling a name is stored and shown in: NFC, each run of spaces one ordinary space, trimmed. */
export function normalizeGroupName(name: string): string {
  return name.normalize('NFC').replace(SPACES, ' ').replace(/^ | $/g, '');
}

/**
 * The key two names are compared by (the store's `name_key`): the normalized
 * name without format characters, case-folded. JavaScript has no case
 * folding; lower → upper → lower comes close (ß and ẞ fold to ss, final
 * sigma to σ), and NFC again because case mapping can decompose.
 */
export function groupNameKey(name: string): string {
  // Printable ASCII (nearly every name): nothing to compose, fold or remove.
  if (PRINTABLE_ASCII.test(name)) return name.replace(/ {2,}/g, ' ').replace(/^ | $/g, '').toLowerCase();
  return normalizeGroupName(name.replace(FORMAT_CHARACTERS, '')).toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
}

/** Why `name` (as typed, before normalizing) cannot name a new group, or undefined when it can. */
export function newGroupNameProblem(name: string): string | undefined {
  const format = FORMAT_CHARACTER.exec(name);
  if (format) return `group name contains an invisible character (${codePoint(format[0])}); type the name without it`;
  const normalized = normalizeGroupName(name);
  if (DIGITS_ONLY.test(normalized)) return `group name cannot be only digits (${JSON.stringify(normalized)} would read as a group id)`;
  return undefined;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The name closest to `wanted` by edit distance on the keys, when it is close
 * enough to be a typo: at most a third of the typed length, and at most 3.
 * A typed text that starts exactly one name (at least 4 characters) suggests it too.
 */
export function closestGroupName(wanted: string, names: Iterable<string>): string | undefined {
  const key = groupNameKey(wanted);
  if (key.length === 0) return undefined;
  const limit = Math.min(3, Math.floor([...key].length / 3));
  let best: { name: string; distance: number } | undefined;
  const prefixed: string[] = [];
  for (const name of names) {
    const candidate = groupNameKey(name);
    // A shortened name, perhaps mistyped too ("Northshore Famly" for "Northshore Family Medicine").
    if (key.length >= 4 && (candidate.startsWith(key) || prefixDistance(key, candidate, limit) !== undefined)) prefixed.push(name);
    const distance = editDistance(key, candidate, best ? Math.min(best.distance - 1, limit) : limit);
    if (distance !== undefined && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** The edit distance of `key` to the start of `candidate` (as long as `key`, give or take one), or undefined when it exceeds `max`. */
function prefixDistance(key: string, candidate: string, max: number): number | undefined {
  const wanted = [...key].length;
  const points = [...candidate];
  let best: number | undefined;
  for (const length of [wanted - 1, wanted, wanted + 1]) {
    if (length < 1 || length > points.length) continue;
    const distance = editDistance(key, points.slice(0, length).join(''), best === undefined ? max : best - 1);
    if (distance !== undefined) best = distance;
  }
  return best;
}

/** Levenshtein distance of two texts (by code point), or undefined when it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number | undefined {
  const s = [...a];
  const t = [...b];
  if (max < 0 || Math.abs(s.length - t.length) > max) return undefined;
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return undefined;
    previous = current;
  }
  const distance = previous[t.length];
  return distance <= max ? distance : undefined;
}
