// Shell completion (docs/completion.md): what to offer for the word being
// typed, worked out from the command tree — the same declarations help and
// the reference are built from — and, for group names and account numbers,
// from the store. The shell scripts (`pops completion bash|zsh|fish`) are
// small: on every Tab they run `pops __complete <shell> --line <line>` and show
// what it prints, as GitHub CLI and kubectl do.
import { isCommandGroup, type ArgSpec, type CommandSpec, type CommandTreeEntry, type OptionSpec } from './command.js';
import { GLOBAL_OPTIONS } from './program.js';
import { SHELLS, type Shell } from './completion-scripts.js';
import type { IO } from '../base/io.js';
import { HELP_TOPICS } from './help-topics.js';
import { openDb } from '../store/open-db.js';
import type { Db } from '../store/db.js';
import { accountNumbersFrom, groupNames } from '../store/completion-values.js';

/** Values read from the store, asked for only when the word being typed wants them. */
export interface LiveValues {
  groupNames(): readonly string[];
  accountNumbers(prefix: string): readonly string[];
}

/** What to offer: words (with a short description where there is one), or the shell's own file names. */
export interface Completion {
  words: { word: string; description?: string }[];
  files: boolean;
}

/** What a value of an option or argument is, to complete it. */
type ValueKind = { kind: 'choices'; choices: readonly string[] } | { kind: 'group' } | { kind: 'account' } | { kind: 'file' } | { kind: 'none' };

const GLOBAL_SPECS: readonly OptionSpec[] = [
  ...GLOBAL_OPTIONS.map((o) => ({ flags: o.flags, description: o.description })),
  { flags: '-h, --help', description: 'show help' },
];

/** The long name of an option (`--limit`), and whether it takes a value. */
function optionName(spec: OptionSpec): { name: string; takesValue: boolean } {
  const name = /--[a-z0-9-]+/.exec(spec.flags)?.[0] ?? spec.flags;
  return { name, takesValue: /[<[]/.test(spec.flags) };
}

function optionValueKind(spec: OptionSpec): ValueKind {
  if (spec.choices && spec.choices.length > 0) return { kind: 'choices', choices: spec.choices };
  const placeholder = /<([a-z-]+)>/.exec(spec.flags)?.[1];
  if (placeholder === 'group') return { kind: 'group' };
  if (placeholder === 'file' || placeholder === 'dir' || placeholder === 'path') return { kind: 'file' };
  return { kind: 'none' };
}

function argValueKind(spec: ArgSpec): ValueKind {
  if (spec.choices && spec.choices.length > 0) return { kind: 'choices', choices: spec.choices };
  if (spec.completes !== undefined) return { kind: spec.completes };
  if (spec.name === 'group') return { kind: 'group' };
  if (spec.name === 'account') return { kind: 'account' };
  if (spec.name === 'file') return { kind: 'file' };
  return { kind: 'none' };
}

/**
 * The completion of the last of `words` (the words after `pops`, the last one
 * being typed, possibly empty). `store` gives the store's values when the word
 * wants them; it is called with the `--db` of the line, if any.
 */
export function complete(tree: readonly CommandTreeEntry[], words: readonly string[], store: (db: string | undefined) => LiveValues): Completion {
  const current = words.length === 0 ? '' : words[words.length - 1];
  const done = words.slice(0, -1);
  let db: string | undefined;
  let group: CommandTreeEntry | undefined;
  let command: CommandSpec | undefined;
  let helpWords: string[] | undefined;
  let positionals = 0;
  let pending: OptionSpec | undefined;
  let afterDashes = false;
  const optionsHere = (): readonly OptionSpec[] => [
    ...GLOBAL_SPECS,
    ...(command ? Object.values(command.options) : group === undefined ? [{ flags: '-V, --version', description: 'print the version' }] : []),
  ];
  const findOption = (name: string) => optionsHere().find((spec) => optionName(spec).name === name || spec.flags.split(/[ ,]+/).includes(name));

  for (const word of done) {
    if (pending) {
      if (optionName(pending).name === '--db') db = word;
      pending = undefined;
      continue;
    }
    if (!afterDashes && word === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && word.startsWith('-')) {
      const [name, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
      const spec = findOption(name);
      if (spec && optionName(spec).takesValue) {
        if (inline === undefined) pending = spec;
        else if (name === '--db') db = inline;
      }
      continue;
    }
    // A word that is not an option: the command, the sub-command, or an argument.
    if (helpWords) {
      helpWords.push(word);
      continue;
    }
    if (group === undefined && command === undefined) {
      if (word === 'help') {
        helpWords = [];
        continue;
      }
      const entry = tree.find((e) => e.name === word);
      if (entry === undefined) return { words: [], files: false };
      if (isCommandGroup(entry)) group = entry;
      else command = entry;
      continue;
    }
    if (group !== undefined && command === undefined && isCommandGroup(group)) {
      command = group.subcommands.find((s) => s.name === word);
      if (command === undefined) return { words: [], files: false };
      continue;
    }
    positionals += 1;
  }

  const live = () => store(db);
  if (pending) return valuesOf(optionValueKind(pending), current, live);
  if (!afterDashes && current.startsWith('--') && current.includes('=')) {
    const name = current.slice(0, current.indexOf('='));
    const spec = findOption(name);
    if (!spec || !optionName(spec).takesValue) return { words: [], files: false };
    const values = valuesOf(optionValueKind(spec), current.slice(name.length + 1), live);
    return { words: values.words.map((w) => ({ ...w, word: `${name}=${w.word}` })), files: values.files };
  }
  if (!afterDashes && current.startsWith('-')) {
    const names = optionsHere()
      .map((spec) => ({ word: optionName(spec).name, description: spec.description }))
      .filter((w) => w.word.startsWith(current));
    return { words: names, files: false };
  }
  if (helpWords) {
    // `pops help <command> [<sub-command>]`, or `pops help <topic>`
    if (helpWords.length === 0) {
      const entries = [...tree.map((e) => ({ word: e.name, description: e.summary })), ...HELP_TOPICS.map((t) => ({ word: t.name, description: t.summary }))];
      return { words: matching(entries, current), files: false };
    }
    const entry = helpWords.length === 1 ? tree.find((e) => e.name === helpWords![0]) : undefined;
    const subcommands = entry !== undefined && isCommandGroup(entry) ? entry.subcommands.map((s) => ({ word: s.name, description: s.summary })) : [];
    return { words: matching(subcommands, current), files: false };
  }
  if (group === undefined && command === undefined) {
    const entries = [...tree.map((e) => ({ word: e.name, description: e.summary })), { word: 'help', description: 'help on a command or a topic' }];
    return { words: matching(entries, current), files: false };
  }
  if (command === undefined && group !== undefined && isCommandGroup(group)) {
    return {
      words: matching(
        group.subcommands.map((s) => ({ word: s.name, description: s.summary })),
        current,
      ),
      files: false,
    };
  }
  const arg = command?.args[positionals];
  return arg === undefined ? { words: [], files: false } : valuesOf(argValueKind(arg), current, live);
}

function matching<T extends { word: string }>(words: readonly T[], prefix: string): T[] {
  const lower = prefix.toLowerCase();
  return words.filter((w) => w.word.toLowerCase().startsWith(lower));
}

function valuesOf(kind: ValueKind, current: string, live: () => LiveValues): Completion {
  switch (kind.kind) {
    case 'choices':
      return {
        words: matching(
          kind.choices.map((word) => ({ word })),
          current,
        ),
        files: false,
      };
    case 'file':
      return { words: [], files: true };
    case 'group': {
      // Typed so far, without an opening quote: `"Lak` or `'Lak` is `Lak`.
      const prefix = current.replace(/^["']/, '');
      return {
        words: matching(
          live()
            .groupNames()
            .map((word) => ({ word })),
          prefix,
        ),
        files: false,
      };
    }
    case 'account':
      return {
        words: live()
          .accountNumbers(current)
          .map((word) => ({ word })),
        files: false,
      };
    default:
      return { words: [], files: false };
  }
}

/**
 * The lines `pops __complete <shell>` prints: one word per line. For bash and
 * zsh a word with a space or a shell character is quoted — in double quotes,
 * or in single quotes when it holds a `!` (which an interactive shell expands
 * even inside double quotes) — unless the word being typed already opened a
 * quote (`"Lak`): then the words come plain after a `:raw` line, for the shell
 * to finish inside that quote. fish quotes for itself, and shows a description
 * after a tab. `:files` asks the script for the shell's file names instead.
 */
export function completionLines(shell: Shell, completion: Completion, insideQuote = false): string {
  if (completion.files) return ':files\n';
  if (completion.words.length === 0) return '';
  if (shell === 'fish')
    return `${completion.words.map(({ word, description }) => (description === undefined ? word : `${word}\t${description}`)).join('\n')}\n`;
  if (insideQuote) return `:raw\n${completion.words.map((w) => w.word).join('\n')}\n`;
  return `${completion.words.map(({ word }) => shellQuoted(word)).join('\n')}\n`;
}

function shellQuoted(word: string): string {
  if (!/[^A-Za-z0-9_@%+=:,./-]/.test(word)) return word;
  if (word.includes('!')) return `'${word.replace(/'/g, "'\\''")}'`;
  return `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * The words of a command line typed so far, as the shell will split them
 * (quotes and backslashes taken off); the last word is the one being typed
 * (empty after a space). Every script hands over the raw line.
 */
export function lineWords(line: string): string[] {
  return splitLine(line).words;
}

/** lineWords, and whether the last word began with a quote. */
export function splitLine(line: string): { words: string[]; lastQuoted: boolean } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[(i += 1)];
      else word += c;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      if (word === undefined) quoted = c === '"' || c === "'";
      word ??= '';
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && i + 1 < line.length) word += line[(i += 1)];
      else word += c;
    }
  }
  if (word === undefined) quoted = false;
  words.push(word ?? '');
  return { words, lastQuoted: quoted };
}

/**
 * bash replaces only the part of the word after its last `=` or `:` (its
 * COMP_WORDBREAKS): a candidate is cut the same way.
 */
export function bashCandidates(current: string, completion: Completion): Completion {
  const cut = Math.max(current.lastIndexOf('='), current.lastIndexOf(':')) + 1;
  if (cut === 0) return completion;
  const prefix = current.slice(0, cut);
  return { ...completion, words: completion.words.filter((w) => w.word.startsWith(prefix)).map((w) => ({ ...w, word: w.word.slice(cut) })) };
}

/** Account numbers offered at most (the shell lists them all). */
const MAX_ACCOUNT_NUMBERS = 200;
/** A completion waits this long at most for a store another command is changing, then offers nothing. */
const COMPLETION_BUSY_MS = 250;
/** The longest a PostgreSQL store may take to connect, and then to answer, before a Tab offers nothing. */
const COMPLETION_CONNECT_MS = 1000;

/**
 * `pops __complete <shell> --line <the line up to the cursor>` (bash also
 * gives `--point`): print what to offer. Never prints an error and always exits 0: nothing
 * pops says may end up in the middle of the user's command line.
 */
export function runCompletion(tree: readonly CommandTreeEntry[], argv: readonly string[], io: IO): void {
  const shell = argv[0] as Shell;
  if (!SHELLS.includes(shell)) return;
  const at = argv.indexOf('--line');
  const line = at < 0 ? '' : (argv[at + 1] ?? '');
  const point = Number(argv[argv.indexOf('--point') + 1] ?? line.length);
  const split = splitLine(line.slice(0, Number.isSafeInteger(point) && point >= 0 ? point : line.length));
  const typed = split.words;
  // The line may hold more than this command (`cd x && pops …`): pops's words begin after its name.
  let start = -1;
  for (let i = typed.length - 2; i >= 0 && start < 0; i -= 1) if (typed[i].split('/').pop() === 'pops') start = i;
  if (start < 0) return;
  // `POPS_DB=… pops …`: assignments just before the command name are its environment.
  let assigned: string | undefined;
  for (let i = start - 1; i >= 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(typed[i]); i -= 1) {
    if (typed[i].startsWith('POPS_DB=') && assigned === undefined) assigned = typed[i].slice('POPS_DB='.length);
  }
  const words = typed.slice(start + 1);
  let db: Db | undefined;
  try {
    const store = (path: string | undefined): LiveValues => {
      const quiet = <T>(read: (db: Db) => T[]): T[] => {
        try {
          db ??= openDb(expanded(path ?? (assigned || io.env.POPS_DB || './pops.db'), io.env), {
            readsOnly: true,
            busyTimeoutMs: COMPLETION_BUSY_MS,
            quickMs: COMPLETION_CONNECT_MS,
          }).db;
          return read(db);
        } catch {
          // A missing, busy, newer or broken store: nothing to offer, and nothing said.
          return [];
        }
      };
      return {
        groupNames: () => quiet((d) => groupNames(d)),
        // More than the most offered: none, so that the shell inserts nothing the user did not type.
        accountNumbers: (prefix) => {
          const numbers = quiet((d) => accountNumbersFrom(d, prefix, MAX_ACCOUNT_NUMBERS + 1));
          return numbers.length > MAX_ACCOUNT_NUMBERS ? [] : numbers;
        },
      };
    };
    let completion = complete(tree, words, store);
    if (shell === 'bash') completion = bashCandidates(words[words.length - 1], completion);
    io.out(completionLines(shell, completion, split.lastQuoted || argv.includes('--quoted')));
  } catch {
    // Nothing to offer.
  } finally {
    db?.close();
  }
}

/** `~/x` and `$HOME/x` (or `${HOME}/x`) as the shell will expand them when the command runs. */
function expanded(path: string, env: NodeJS.ProcessEnv): string {
  const home = path === '~' || path.startsWith('~/') ? `${env.HOME ?? ''}${path.slice(1)}` : path;
  return home.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, braced: string | undefined, plain: string | undefined) => env[braced ?? plain ?? ''] ?? '',
  );
}
