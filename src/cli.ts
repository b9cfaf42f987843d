// Builds the program. Only the command being run is imported (SPEC §9): the
// registry below holds names and summaries; a command's module declares its own
// arguments and options and does the work.
import type { SnapshotRun } from './commands/preview-snapshots.js';
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { describeError, EXIT, UsageError } from './errors.js';
import { sanitize } from './render/sanitize.js';
import { processIO, type IO } from './io.js';
import { resolveGlobals, type Context, type GlobalOptions } from './context.js';
import { packageFile } from './paths.js';

export interface CommandModule {
  /** Add arguments, options and the action to `command`. */
  define(command: Command, ctx: Context): void;
}

interface CommandEntry {
  name: string;
  summary: string;
  load?: () => Promise<CommandModule>;
  subcommands?: CommandEntry[];
}

export const COMMANDS: CommandEntry[] = [
  { name: 'init', summary: 'create the store, or migrate an older one', load: () => import('./commands/init.js') },
  { name: 'import', summary: 'load a dump (JSON) into the store, all or nothing', load: () => import('./commands/import.js') },
  { name: 'export', summary: 'write the whole store as a dump', load: () => import('./commands/export.js') },
  { name: 'doctor', summary: 'check the store and lint the configuration', load: () => import('./commands/doctor.js') },
  {
    name: 'groups',
    summary: 'list, show, create, change and delete POPS Groups',
    subcommands: [
      { name: 'list', summary: 'one row per group: Show Collections, footer number, account counts; --json/--csv', load: () => import('./commands/groups/list.js') },
      { name: 'show', summary: "every setting of one group, plus its account counts", load: () => import('./commands/groups/show.js') },
      { name: 'create', summary: 'create a group; settings not given take their defaults', load: () => import('./commands/groups/create.js') },
      { name: 'set', summary: 'change settings of a group (or rename it); prints each change', load: () => import('./commands/groups/set.js') },
      { name: 'collections', summary: 'show or switch Show Collections, with the accounts it affects', load: () => import('./commands/groups/collections.js') },
      { name: 'footer-number', summary: "show, set or clear a group's footer number", load: () => import('./commands/groups/footer-number.js') },
      { name: 'edit', summary: "change a group's settings interactively (needs a terminal)", load: () => import('./commands/groups/edit.js') },
      { name: 'delete', summary: 'delete a group that no account uses', load: () => import('./commands/groups/delete.js') },
      { name: 'apply', summary: 'bulk-change groups from a JSON or CSV file, all or nothing', load: () => import('./commands/groups/apply.js') },
      { name: 'export', summary: 'every group in the format groups apply reads (JSON or CSV)', load: () => import('./commands/groups/export.js') },
    ],
  },
  { name: 'audit', summary: 'the audit log of group changes, newest first', load: () => import('./commands/audit.js') },
  {
    name: 'accounts',
    summary: 'list accounts with collection and non-collection balances split, or show one',
    subcommands: [
      { name: 'list', summary: 'one row per account, balances split; filter, sort, --json/--csv', load: () => import('./commands/accounts/list.js') },
      { name: 'show', summary: "one account's balance figures and encounters", load: () => import('./commands/accounts/show.js') },
    ],
  },
  { name: 'preview', summary: 'the Account page as the guarantor sees it; --all --out/--check for snapshots', load: () => import('./commands/preview.js') },
];

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io?: IO): Promise<number> {
  const debug = process.env.POPS_DEBUG === '1';
  let stderr: IO['err'] = (text) => void process.stderr.write(text);
  try {
    const { globals, rest } = extractGlobals(argv);
    // Libraries that color on their own (the prompts) follow NO_COLOR: --no-color means the same to them.
    if (globals.noColor && !io) process.env.NO_COLOR = '1';
    const theIO = io ?? processIO({ noColor: globals.noColor });
    stderr = theIO.err;
    const ctx: Context = { io: theIO, ...resolveGlobals(globals, theIO.env), debug, exitCode: EXIT.ok };
    const program = await buildProgram(ctx, rest);
    await program.parseAsync(rest, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (through outputError below).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { lines, exitCode } = describeError(error, debug);
    stderr(lines.map((line) => `${line}\n`).join(''));
    return exitCode;
  }
}

const GLOBAL_VALUE_OPTIONS = { '--db': 'db', '--actor': 'actor' } as const;

/** Global options are accepted anywhere on the line (SPEC §2), so they are taken out first. */
export function extractGlobals(argv: string[]): { globals: GlobalOptions; rest: string[] } {
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
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`option '${flag}' needs a value`);
    }
    if (value === '') throw new UsageError(`option '${flag}' needs a non-empty value`);
    globals[key] = value;
  }
  return { globals, rest };
}

async function buildProgram(ctx: Context, argv: string[]): Promise<Command> {
  const program = new Command('pops');
  program
    .description('Manage POPS Groups, collection balances and Account page previews from a local store.')
    .version(readVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--db <path>', 'the store file (else env POPS_DB, else ./pops.db)')
    .option('--actor <name>', 'who is recorded in the audit log (else env POPS_ACTOR, else the OS user)')
    .option('--no-color', 'never color the output (also env NO_COLOR)');
  configure(program, ctx);

  const positionals = argv.filter((arg) => !arg.startsWith('-'));
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.summary);
    configure(command, ctx);
    if (entry.subcommands) {
      for (const sub of entry.subcommands) {
        const subcommand = command.command(sub.name).description(sub.summary);
        configure(subcommand, ctx);
        if (positionals[0] === entry.name && positionals[1] === sub.name && sub.load) {
          (await sub.load()).define(subcommand, ctx);
        }
      }
    } else if (positionals[0] === entry.name && entry.load) {
      (await entry.load()).define(command, ctx);
    }
  }
  return program;
}

function configure(command: Command, ctx: Context): void {
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => ctx.io.out(text),
    writeErr: (text) => ctx.io.err(text),
    // Commander quotes what was typed (an unknown option, a bad choice): sanitized like every other message.
    outputError: (text, write) => write(`${sanitize(text.replace(/^error: /, 'pops: ').replace(/\n$/, ''))}\n`),
  });
}

function readVersion(): string {
  const packageJson = packageFile('package.json');
  return (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** Entry point of the helper threads of `preview --all --out`, which load this bundle. */
export async function runSnapshotHelper(run: SnapshotRun & { dbPath: string }): Promise<unknown> {
  const snapshots = await import('./commands/preview-snapshots.js');
  return snapshots.runSnapshotHelper(run);
}
