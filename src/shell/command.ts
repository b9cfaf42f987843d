// The one shape of a command (docs/architecture.md): a declaration — name,
// summary, arguments, options, examples — that costs nothing to build, and
// `run(opts, deps)`, which receives every argument and option parsed once into
// one typed object. Help, the generated reference and the program itself are
// all built from these declarations.
import type { Deps } from './context.js';

/** Turns the text typed for an argument or option into its value, or throws a UsageError naming `where`. */
export type Parser<T> = (raw: string, where: string) => T;

export interface ArgSpec<N extends string = string, T = unknown> {
  name: N;
  description: string;
  required: boolean;
  parse: Parser<T>;
  /** Values for completion and help, when the argument takes one of a few words. */
  choices?: readonly string[];
  /** What shell completion offers for it when its name does not say (docs/completion.md): account numbers, group names, files. */
  completes?: 'account' | 'group' | 'file';
}

export interface OptionSpec<T = unknown> {
  /** `--limit <n>` or `--dry-run`. */
  flags: string;
  description: string;
  /** Absent for a switch (true when given, else false). */
  parse?: Parser<T>;
  choices?: readonly string[];
  /** Printed in help: `(default: account)`. */
  defaultLabel?: string;
  /** The value when the option is not given. */
  defaultValue?: T;
}

export type OptionSpecs = Record<string, OptionSpec<any>>;

type ArgValues<A extends readonly ArgSpec[]> = { [E in A[number] as CamelCase<E['name']>]: E extends ArgSpec<string, infer T> ? T : never };
type OptionValues<O extends OptionSpecs> = { [K in keyof O]: O[K] extends OptionSpec<infer T> ? T : never };
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** What `run` receives: every argument (by its camel-cased name) and option, parsed. */
export type CommandOptions<A extends readonly ArgSpec[], O extends OptionSpecs> = ArgValues<A> & OptionValues<O>;

export interface CommandSpec<A extends readonly ArgSpec[] = readonly ArgSpec[], O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** One line, shown in the parent's list and as the first line of help. */
  summary: string;
  args: A;
  options: O;
  /** Extra help paragraphs printed before the examples. */
  notes?: string;
  examples: readonly string[];
  /** Checks that involve several options at once (exit 2), run before `run`. */
  check?: (opts: CommandOptions<A, O>) => void;
  run(opts: CommandOptions<A, O>, deps: Deps): void | Promise<void>;
}

/** A command with sub-commands (`groups`, `accounts`): nothing to run of its own. */
export interface CommandGroupSpec {
  name: string;
  summary: string;
  subcommands: readonly CommandSpec<any, any>[];
}

export type CommandTreeEntry = CommandSpec<any, any> | CommandGroupSpec;

export function isCommandGroup(entry: CommandTreeEntry): entry is CommandGroupSpec {
  return 'subcommands' in entry;
}

/** Identity, for type inference: `export default defineCommand({ … })`. */
export function defineCommand<const A extends readonly ArgSpec[], O extends OptionSpecs>(spec: CommandSpec<A, O>): CommandSpec<A, O> {
  return spec;
}

const asText: Parser<string> = (raw) => raw;

/** A required argument, as typed (or parsed by `parse`). */
export function arg<N extends string>(name: N, description: string): ArgSpec<N, string>;
export function arg<N extends string, T>(name: N, description: string, parse: Parser<T>, choices?: readonly string[]): ArgSpec<N, T>;
export function arg(name: string, description: string, parse?: Parser<unknown>, choices?: readonly string[]): ArgSpec {
  return { name, description, required: true, parse: parse ?? asText, choices };
}

/** An argument that may be left out (then undefined). */
export function optionalArg<N extends string>(name: N, description: string): ArgSpec<N, string | undefined>;
export function optionalArg<N extends string, T>(name: N, description: string, parse: Parser<T>, choices?: readonly string[]): ArgSpec<N, T | undefined>;
export function optionalArg(name: string, description: string, parse?: Parser<unknown>, choices?: readonly string[]): ArgSpec {
  return { name, description, required: false, parse: parse ?? asText, choices };
}

/** A switch: true when given. */
export function flag(flags: string, description: string): OptionSpec<boolean> {
  return { flags, description, defaultValue: false };
}

/** An option that takes a value; undefined when not given. */
export function valueOption(flags: string, description: string): OptionSpec<string | undefined>;
export function valueOption<T>(flags: string, description: string, parse: Parser<T>, choices?: readonly string[]): OptionSpec<T | undefined>;
export function valueOption(flags: string, description: string, parse?: Parser<unknown>, choices?: readonly string[]): OptionSpec {
  return { flags, description, parse: parse ?? asText, choices };
}

/** An option that takes a value, with a default when not given. */
export function valueOptionWithDefault<T>(
  flags: string,
  description: string,
  parse: Parser<T>,
  defaultValue: T,
  defaultLabel: string,
  choices?: readonly string[],
): OptionSpec<T> {
  return { flags, description, parse, defaultValue, defaultLabel, choices };
}

/** `--min-total <money>` → `minTotal`; `--no-color` stays a switch named `noColor`. */
export function optionAttribute(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? flags;
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `<group>` or `[state]`, as help shows an argument. */
export function argUsage(spec: ArgSpec): string {
  return spec.required ? `<${spec.name}>` : `[${spec.name}]`;
}

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
