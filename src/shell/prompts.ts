// Questions on the terminal, as a dependency of the commands that ask
// (groups edit, groups delete): the real one uses @inquirer/prompts on the
// command's own streams; tests give a scripted one. The prompt library loads
// on the first question only, so no other command pays for it.
import type { IO } from '../base/io.js';
import { CancelledError } from '../base/errors.js';
import { lazyModule } from '../base/lazy.js';

export interface Choice<T> {
  name: string;
  value: T;
  /** Shown, but cannot be chosen (a note in a list). */
  disabled?: boolean;
}

export interface Prompter {
  /** Pick one of `choices`; `defaultValue` is preselected. */
  select<T>(message: string, choices: readonly Choice<T>[], defaultValue: T): Promise<T>;
  /** Type a line; `validate` returns true or the message to show. */
  input(message: string, options: { defaultValue?: string; validate(text: string): true | string }): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  /** Type to search; `source` gives the choices for what is typed so far, shown as they change. */
  search<T>(message: string, source: (term: string) => Promise<readonly Choice<T>[]>): Promise<T>;
}

type Inquirer = typeof import('@inquirer/prompts');

// Its CommonJS build, through require: the bundle then holds no import(),
// which bin/pops.js could not run when it compiles the bundle with its code cache.
const inquirer = lazyModule<Inquirer>('@inquirer/prompts');

/** The real prompter, on `io`'s stdin and stdout. Ctrl-C or a closed terminal is a cancellation (exit 5). */
export function terminalPrompter(io: IO): Prompter {
  // The streams are taken at the first question: reading io.stdin makes Node set up standard input,
  // which a command that asks nothing should not pay for (docs/performance.md, "Start-up").
  const streams = () => ({ input: io.stdin, output: io.stdout });
  return {
    // Every choice on screen at once when they are few (lookup's menu has nine).
    select: (message, choices, defaultValue) =>
      answer(inquirer().select({ message, choices: [...choices], default: defaultValue, pageSize: Math.max(7, Math.min(choices.length, 12)) }, streams())),
    input: (message, options) => answer(inquirer().input({ message, default: options.defaultValue, validate: options.validate }, streams())),
    confirm: (message, defaultValue) => answer(inquirer().confirm({ message, default: defaultValue }, streams())),
    search: async (message, source) => {
      // A source that fails (the store went away) ends the prompt with its error at once, rather than
      // leaving it on screen with the failure inside it, still waiting for keys.
      const stop = new AbortController();
      let failure: { error: unknown } | undefined;
      const choices = async (term: string | undefined) => {
        try {
          return [...(await source(term ?? ''))];
        } catch (error) {
          failure ??= { error };
          stop.abort();
          return [];
        }
      };
      try {
        return await answer(inquirer().search({ message, source: choices, pageSize: 10 }, { ...streams(), signal: stop.signal }));
      } catch (error) {
        throw failure === undefined ? error : failure.error;
      }
    },
  };
}

async function answer<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
      throw new CancelledError('cancelled: nothing was changed');
    throw error;
  }
}
