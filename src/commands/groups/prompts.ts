// Interactive prompts for the group commands that ask (edit, delete). The
// prompt library is imported here on demand only, so no other command loads it (SPEC §9).
import type { Context } from '../../context.js';
import { CancelledError } from '../../errors.js';
import { lazyModule } from '../../lazy.js';

export type Prompts = typeof import('@inquirer/prompts');

// Its CommonJS build, through require: the bundle then holds no import(), which
// bin/pops.js could not run when it compiles the bundle with its code cache.
const prompts = lazyModule<Prompts>('@inquirer/prompts');

export async function loadPrompts(): Promise<Prompts> {
  return prompts();
}

/** Where prompts read and write: the command's own streams. */
export function promptStreams(ctx: Context): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } {
  return { input: ctx.io.stdin, output: ctx.io.stdout };
}

/** A prompt ended by Ctrl-C or a closed terminal (ExitPromptError) is a cancellation: exit 5. */
export async function answer<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new CancelledError('cancelled: nothing was changed');
    throw error;
  }
}
