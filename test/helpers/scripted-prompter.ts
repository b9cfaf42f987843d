// A Prompter that answers from a script instead of a terminal, and records
// every question asked, so `groups edit` and `groups delete` run in-process.
import { CancelledError } from '../../src/base/errors.js';
import type { Choice, Prompter } from '../../src/shell/prompts.js';

/** What the user does at one prompt. */
export type Answer =
  /** select: the word of a choice; input: the text typed (each of several until one is valid, as retyping after an inline error). */
  | string
  | string[]
  /** confirm: yes or no. */
  | boolean
  /** Ctrl-C: the prompt is cancelled, as the terminal prompter reports it. */
  | typeof CANCEL;

export const CANCEL = Symbol('Ctrl-C');

export interface AskedQuestion {
  kind: 'select' | 'input' | 'confirm';
  message: string;
  /** The preselected choice's word (select), the text offered (input), or the default answer (confirm). */
  defaultValue: unknown;
  choices?: string[];
  /** Input texts the prompt refused, each with its message. */
  refused?: { text: string; message: string }[];
}

/**
 * Answers by prompt message (the setting label, or the confirmation text); a
 * prompt with no answer is accepted as offered, as Enter does.
 */
export function scriptedPrompter(answers: Record<string, Answer> = {}): Prompter & { asked: AskedQuestion[] } {
  const asked: AskedQuestion[] = [];
  const answerFor = (message: string): Answer | undefined => {
    const answer = answers[message];
    if (answer === CANCEL) throw new CancelledError('cancelled: nothing was changed');
    return answer;
  };
  return {
    asked,
    async select<T>(message: string, choices: readonly Choice<T>[], defaultValue: T): Promise<T> {
      const preselected = choices.find((c) => Object.is(c.value, defaultValue));
      asked.push({ kind: 'select', message, defaultValue: preselected?.name, choices: choices.map((c) => c.name) });
      const answer = answerFor(message);
      if (answer === undefined) return defaultValue;
      const chosen = choices.find((c) => c.name === answer);
      if (!chosen) throw new Error(`${message}: no choice "${String(answer)}" among ${choices.map((c) => c.name).join(', ')}`);
      return chosen.value;
    },
    async input(message, options) {
      const question: AskedQuestion = { kind: 'input', message, defaultValue: options.defaultValue, refused: [] };
      asked.push(question);
      const answer = answerFor(message);
      // Enter on an untouched prompt takes the text offered.
      const texts = answer === undefined ? [options.defaultValue ?? ''] : Array.isArray(answer) ? answer : [String(answer)];
      for (const text of texts) {
        const verdict = options.validate(text);
        if (verdict === true) return text;
        question.refused!.push({ text, message: verdict });
      }
      throw new Error(`${message}: every scripted answer was refused: ${JSON.stringify(question.refused)}`);
    },
    async confirm(message, defaultValue) {
      asked.push({ kind: 'confirm', message, defaultValue });
      const answer = answerFor(message);
      return answer === undefined ? defaultValue : Boolean(answer);
    },
  };
}
