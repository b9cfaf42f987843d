// Builds the commander program from the command tree: every command's
// arguments, options, help and examples come from its declaration, so help is
// the same however it is asked for, and the reference in docs/commands.md is
// generated from the same tree.
import { Argument, Command, Option } from 'commander';
import { UsageError, ValidationError, type Problem } from '../base/errors.js';
import { sanitize } from '../base/sanitize.js';
import type { IO } from '../base/io.js';
import { argUsage, camelCase, isCommandGroup, optionAttribute, type CommandSpec, type CommandTreeEntry } from './command.js';
import type { Deps } from './context.js';

/** Where help and commander's messages go, and how wide help may be. */
export type HelpIO = Pick<IO, 'out' | 'err' | 'stdoutIsTTY' | 'columns'>;

export interface ProgramInfo {
  version: string;
  description: string;
  /** Printed after the program's own help (topics, where the docs are). */
  footer: string;
  /** The `help` command's line in the list of commands. */
  helpSummary: string;
}

/** Global options: accepted anywhere on the line, listed on every help page. */
export const GLOBAL_OPTIONS = [
  { flags: '--db <path>', description: 'the store: a file, or a postgres:// URL (else env POPS_DB, else ./pops.db)' },
  { flags: '--actor <name>', description: 'who is recorded in the audit log (else env POPS_ACTOR, else the OS user)' },
  { flags: '--no-color', description: 'never color the output (also env NO_COLOR)' },
] as const;

/**
 * The whole program. `deps` is asked for only when a command runs, so the same
 * program serves help and the reference without a store or streams.
 */
export function buildProgram(tree: readonly CommandTreeEntry[], info: ProgramInfo, io: HelpIO, deps: () => Deps): Command {
  const program = new Command('pops');
  program.description(info.description).version(info.version, '-V, --version', 'print the version');
  for (const option of GLOBAL_OPTIONS) program.option(option.flags, option.description);
  configure(program, io);
  program.helpCommand('help [command...]', info.helpSummary);
  program.addHelpText('after', `\n${info.footer}\n`);
  for (const entry of tree) {
    if (isCommandGroup(entry)) {
      const group = program.command(entry.name).description(entry.summary);
      configure(group, io);
      group.helpCommand('help [command]', `help on a command (the same as pops ${entry.name} <command> --help)`);
      for (const spec of entry.subcommands) addCommand(group, spec, io, deps);
    } else {
      addCommand(program, entry, io, deps);
    }
  }
  return program;
}

function addCommand(parent: Command, spec: CommandSpec, io: HelpIO, deps: () => Deps): void {
  const command = parent.command(spec.name).description(spec.summary);
  configure(command, io);
  for (const arg of spec.args) {
    const argument = new Argument(argUsage(arg), arg.description);
    command.addArgument(argument);
  }
  for (const option of Object.values(spec.options)) {
    // Values are checked by the option's own parser (one message per rule,
    // any case accepted); the words and the default are shown in help all the same.
    const words = option.choices && !option.flags.includes('|') ? ` (choices: ${option.choices.join(', ')})` : '';
    const byDefault = option.defaultLabel !== undefined ? ` (default: ${option.defaultLabel})` : '';
    command.addOption(new Option(option.flags, option.description + words + byDefault));
  }
  const after = [spec.notes, spec.examples.length > 0 ? `Examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}` : undefined].filter(Boolean);
  if (after.length > 0) command.addHelpText('after', `\n${after.join('\n\n')}\n`);
  command.action(async (...actionArgs: unknown[]) => {
    const positionals = actionArgs.slice(0, spec.args.length) as (string | undefined)[];
    const raw = command.opts<Record<string, unknown>>();
    const opts = parseValues(spec, positionals, raw);
    spec.check?.(opts);
    await spec.run(opts, deps());
  });
}

/** Every argument and option through its parser; all problems are reported together. */
function parseValues(spec: CommandSpec, positionals: (string | undefined)[], raw: Record<string, unknown>): any {
  const values: Record<string, unknown> = {};
  const problems: (Problem & { hint?: string })[] = [];
  const attempt = (where: string, parse: () => unknown): unknown => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push({ where, message: error.message, hint: error.hint });
      return undefined;
    }
  };
  spec.args.forEach((arg, i) => {
    const text = positionals[i];
    values[camelCase(arg.name)] = text === undefined ? undefined : attempt(arg.name, () => arg.parse(text, arg.name));
  });
  for (const [key, option] of Object.entries(spec.options)) {
    const given = raw[optionAttribute(option.flags)];
    const long = /--[a-z0-9-]+/.exec(option.flags)![0];
    if (option.parse === undefined) values[key] = given === true ? true : (option.defaultValue ?? false);
    else if (typeof given === 'string') values[key] = attempt(long, () => option.parse!(given, long));
    else values[key] = option.defaultValue;
  }
  // An argument's message stands alone (`group name must not be empty`); an option's names the option.
  if (problems.length === 1) {
    const [problem] = problems;
    throw new UsageError(problem.where.startsWith('--') ? `${problem.where}: ${problem.message}` : problem.message, problem.hint);
  }
  if (problems.length > 1) throw new ValidationError(problems);
  return values;
}

function configure(command: Command, io: HelpIO): void {
  command.exitOverride();
  command.helpOption('-h, --help', 'show help');
  command.configureHelp({
    showGlobalOptions: true,
    sortSubcommands: false,
    // `footer-number <group> [number]`: without commander's `[options]`, the list fits 80 columns.
    subcommandTerm: (sub) =>
      [sub.name(), ...sub.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' '),
  });
  command.configureOutput({
    writeOut: (text) => io.out(text),
    // Help wraps at the terminal's width, else at 80 columns (never at the width of some other stream).
    getOutHelpWidth: () => (io.stdoutIsTTY && io.columns ? io.columns : 80),
    getErrHelpWidth: () => 80,
    writeErr: (text) => io.err(text),
    // Commander quotes what was typed (an unknown option, a bad choice): sanitized like every other message.
    outputError: (text, write) => {
      const line = sanitize(text.replace(/^error: /, 'pops: ').replace(/\n$/, ''));
      // The likeliest cause: a group name with spaces typed without quotes.
      const hint = /too many arguments/.test(line) ? '\nA name with spaces goes in quotes, e.g. "Lakeside Pediatrics".' : '';
      write(`${line}${hint}\n`);
    },
  });
}

/** The command at `path` (`['groups', 'set']`), or undefined. */
export function findCommand(program: Command, path: readonly string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const name of path) {
    command = command.commands.find((c) => c.name() === name);
    if (!command) return undefined;
  }
  return command;
}
