// One rule for the values of options, for every option of every command and
// for the global --db and --actor (docs/design-choices.md, "Hardening (v1.1)"):
// `--opt=value` is always a value; `--opt value` takes the next word as the
// value unless that word is an option of the command (or a global option, or
// `--`), which is exit 2 "option needs a value". So `--footer-text "-- Closed
// Mondays --"` is a footer text, and `accounts list --search --json` searches
// for nothing. Checked on the whole line before commander parses it.
import { UsageError } from '../base/errors.js';
import { isCommandGroup, type CommandSpec, type CommandTreeEntry } from './command.js';
import { GLOBAL_OPTIONS } from './program.js';

/** Every page's help and the program's version are options everywhere too. */
const GLOBAL_FLAGS: readonly string[] = [...GLOBAL_OPTIONS.map((option) => option.flags), '-h, --help', '-V, --version'];

/** The options a command line may hold: the command's and the global ones. */
export interface LineOptions {
  /** `--json`, `--limit=5`, `-h`, `--`: a word that is an option here, not a value. */
  isOption(word: string): boolean;
  /** `--limit`, `--db`: exactly an option that takes a value. */
  takesValue(word: string): boolean;
}

/** The options of the command that `argv` names (found by its command words), and the global ones. */
export function lineOptions(tree: readonly CommandTreeEntry[], argv: readonly string[]): LineOptions {
  const globals = optionNames(GLOBAL_FLAGS);
  const command = commandOf(tree, argv, globals);
  const own = optionNames(command ? Object.values(command.options).map((option) => option.flags) : []);
  const isName = (name: string) => globals.all.has(name) || own.all.has(name);
  return {
    isOption: (word) => word === '--' || isName(word.startsWith('--') && word.includes('=') ? word.slice(0, word.indexOf('=')) : word),
    takesValue: (word) => globals.withValue.has(word) || own.withValue.has(word),
  };
}

/** Exit 2 for an option that takes a value but is followed by another option, or by nothing. */
export function refuseOptionsAsValues(options: LineOptions, argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i];
    if (word === '--') return;
    if (!options.takesValue(word)) continue;
    const value = argv[i + 1];
    if (value === undefined) throw new UsageError(`${word}: option needs a value`);
    if (options.isOption(value)) {
      const found = value === '--' ? '-- ends the options' : `${value} is an option`;
      throw new UsageError(`${word}: option needs a value (${found})`, `To give ${JSON.stringify(value)} as the value, write ${word}=${value}.`);
    }
    i += 1;
  }
}

interface OptionNames {
  all: Set<string>;
  withValue: Set<string>;
}

/** `-h, --help` → both names; `--limit <n>` → a name that takes a value. */
function optionNames(flagLists: readonly string[]): OptionNames {
  const names: OptionNames = { all: new Set(), withValue: new Set() };
  for (const flags of flagLists) {
    const takesValue = /[<[]/.test(flags);
    for (const name of flags.match(/(?<![\w-])--?[A-Za-z0-9][\w-]*/g) ?? []) {
      names.all.add(name);
      if (takesValue) names.withValue.add(name);
    }
  }
  return names;
}

/** The command the line runs: its first words that name a command (`groups set`), global options and their values skipped. */
function commandOf(tree: readonly CommandTreeEntry[], argv: readonly string[], globals: OptionNames): CommandSpec | undefined {
  let entries: readonly CommandTreeEntry[] = tree;
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i];
    if (word === '--') return undefined;
    if (word.startsWith('-')) {
      if (globals.withValue.has(word)) i += 1;
      continue;
    }
    const entry = entries.find((candidate) => candidate.name === word);
    if (entry === undefined) return undefined;
    if (!isCommandGroup(entry)) return entry;
    entries = entry.subcommands;
  }
  return undefined;
}
