// The program: the command tree, `main(argv, io)`, and help. Every command
// declares itself (src/commands/…); help pages, the generated reference
// (docs/commands.md) and shell completion all come from this one tree.
import fs from 'node:fs';
import { CommanderError } from 'commander';
import { describeError, EXIT, UsageError } from './base/errors.js';
import { processIO, type IO } from './base/io.js';
import { packageFile } from './base/paths.js';
import { isCommandGroup, type CommandTreeEntry } from './shell/command.js';
import { resolveGlobals, type Deps, type GlobalOptions } from './shell/context.js';
import { buildProgram, findCommand, type ProgramInfo } from './shell/program.js';
import { lineOptions, refuseOptionsAsValues } from './shell/option-values.js';
import { terminalPrompter, type Prompter } from './shell/prompts.js';
import { HELP_TOPICS, topicList } from './shell/help-topics.js';
import { commandReference } from './shell/reference.js';
import init from './commands/init.js';
import importCommand from './commands/import.js';
import exportCommand from './commands/export.js';
import doctor from './commands/doctor.js';
import groupsList from './commands/groups/list.js';
import groupsShow from './commands/groups/show.js';
import groupsCreate from './commands/groups/create.js';
import groupsSet from './commands/groups/set.js';
import groupsCollections from './commands/groups/collections.js';
import groupsFooterNumber from './commands/groups/footer-number.js';
import groupsEdit from './commands/groups/edit.js';
import groupsDelete from './commands/groups/delete.js';
import groupsApply from './commands/groups/apply.js';
import groupsExport from './commands/groups/export.js';
import audit from './commands/audit.js';
import accountsList from './commands/accounts/list.js';
import accountsShow from './commands/accounts/show.js';
import preview from './commands/preview.js';
import completion from './commands/completion.js';
import lookup from './commands/lookup.js';
import { runCompletion } from './shell/completion.js';

export const COMMAND_TREE: readonly CommandTreeEntry[] = [
  init,
  importCommand,
  exportCommand,
  doctor,
  {
    name: 'groups',
    summary: 'list, show, create, change and delete POPS Groups',
    subcommands: [groupsList, groupsShow, groupsCreate, groupsSet, groupsCollections, groupsFooterNumber, groupsEdit, groupsDelete, groupsApply, groupsExport],
  },
  audit,
  {
    name: 'accounts',
    summary: 'list accounts with collection and non-collection balances split, or show one',
    subcommands: [accountsList, accountsShow],
  },
  lookup,
  preview,
  completion,
];

export function programInfo(): ProgramInfo {
  return {
    version: readVersion(),
    description: 'Manage POPS Groups, collection balances and Account page previews from a local store.',
    helpSummary: `help on a command, or a topic: ${topicList()}`,
    footer: [
      'Help on a command: pops help <command> [<subcommand>], or <command> --help.',
      `Topics: ${topicList()} (pops help <topic>).`,
      'The full reference is in docs/ beside this program.',
    ].join('\n'),
  };
}

export interface MainOptions {
  /** Questions on the terminal; tests pass a scripted prompter. */
  prompt?: Prompter;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io?: IO, options: MainOptions = {}): Promise<number> {
  const env = io?.env ?? process.env;
  const debug = env.POPS_DEBUG === '1';
  // A command line refused before the streams are set up is still reported on the given stderr.
  let stderr: IO['err'] = io ? io.err : (text) => void process.stderr.write(text);
  try {
    // What the completion scripts ask on every Tab (shell/completion.ts): not a command, never an error.
    if (argv[0] === '__complete') {
      runCompletion(COMMAND_TREE, argv.slice(1), io ?? processIO());
      return EXIT.ok;
    }
    const { globals, rest } = extractGlobals(argv);
    // Libraries that color on their own (the prompts) follow NO_COLOR: --no-color means the same to them.
    if (globals.noColor && !io) process.env.NO_COLOR = '1';
    const theIO = io ?? processIO({ noColor: globals.noColor });
    stderr = theIO.err;
    let deps: Deps | undefined;
    const makeDeps = (): Deps => {
      if (deps) return deps;
      const resolved = resolveGlobals(globals, theIO.env);
      deps = {
        io: theIO,
        dbPath: resolved.dbPath,
        dbFrom: resolved.dbFrom,
        // Looked up only if a command reads it (context.ts).
        get actor() {
          return resolved.actor;
        },
        busyTimeoutMs: resolved.busyTimeoutMs,
        debug,
        prompt: options.prompt ?? terminalPrompter(theIO),
        exitCode: EXIT.ok,
      };
      return deps;
    };
    const program = buildProgram(treeFor(rest), programInfo(), theIO, makeDeps);
    const helpTopic = rest[0] === 'help' ? HELP_TOPICS.find((topic) => topic.name === rest[1] && rest.length === 2) : undefined;
    if (helpTopic) {
      theIO.out(helpTopic.text);
      return EXIT.ok;
    }
    // `pops help groups set` is `pops groups set --help`, word for word;
    // `pops help help` and `pops help --help` are the program's own help.
    const asked = rest[0] === 'help' ? rest.slice(1).filter((word) => word !== '--help' && word !== '-h') : [];
    const helpPath = asked.length === 1 && asked[0] === 'help' ? [] : asked;
    const words = rest[0] === 'help' ? [...helpPath, '--help'] : rest;
    if (rest[0] === 'help' && helpPath.length > 0 && !findCommand(program, helpPath)) {
      throw new UsageError(`no such command or topic: ${rest.slice(1).join(' ')}`, `Commands are listed by pops --help; topics: ${topicList()}.`);
    }
    await program.parseAsync(words, { from: 'user' });
    return deps?.exitCode ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (through outputError).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { lines, exitCode } = describeError(error, debug);
    stderr(lines.map((line) => `${line}\n`).join(''));
    return exitCode;
  }
}

/**
 * The part of the command tree a command line needs: just the command it
 * names (with its group), so that running one command builds one command, not
 * twenty (start-up, docs/performance.md). Help on the program or a group, an
 * unknown command and `pops help …` get the whole tree.
 */
function treeFor(rest: readonly string[]): readonly CommandTreeEntry[] {
  const entry = COMMAND_TREE.find((e) => e.name === rest[0]);
  if (entry === undefined) return COMMAND_TREE;
  if (!isCommandGroup(entry)) return [entry];
  const sub = entry.subcommands.find((s) => s.name === rest[1]);
  return sub === undefined ? COMMAND_TREE : [{ ...entry, subcommands: [sub] }];
}

const GLOBAL_VALUE_OPTIONS = { '--db': 'db', '--actor': 'actor' } as const;

/**
 * Global options are accepted anywhere on the line, so they are taken out first,
 * once the whole line has passed the one option-value rule (shell/option-values.ts).
 */
export function extractGlobals(argv: string[]): { globals: GlobalOptions; rest: string[] } {
  const options = lineOptions(COMMAND_TREE, argv);
  refuseOptionsAsValues(options, argv);
  const globals: GlobalOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--no-color') {
      globals.noColor = true;
      continue;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = GLOBAL_VALUE_OPTIONS[flag as keyof typeof GLOBAL_VALUE_OPTIONS];
    if (!key) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || (inline === undefined && options.isOption(value))) {
      throw new UsageError(`${flag}: option needs a value`);
    }
    if (value === '') throw new UsageError(`${flag}: option needs a non-empty value`);
    globals[key] = value;
  }
  return { globals, rest };
}

/** The command reference in Markdown (docs/commands.md, written by `npm run docs`). */
export function reference(): string {
  return commandReference(COMMAND_TREE, programInfo());
}

// The bundle has the version written in by the build (scripts/bundle.js): no file to read at start-up.
declare const __POPS_VERSION__: string | undefined;

function readVersion(): string {
  if (typeof __POPS_VERSION__ === 'string') return __POPS_VERSION__;
  const packageJson = packageFile('package.json');
  return (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
}
