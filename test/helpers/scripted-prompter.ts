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
  /** search: the text typed, then the choice picked (the first whose label begins with `pick`; the first when left out). */
  | SearchAnswer
  /** A question asked several times (select, search): the answers in turn. */
  | (string | SearchAnswer | typeof CANCEL)[]
  /** Ctrl-C: the prompt is cancelled, as the terminal prompter reports it. */
  | typeof CANCEL;

export interface SearchAnswer {
  type: string;
  pick?: string;
}

export const CANCEL = Symbol('Ctrl-C');

export interface AskedQuestion {
  kind: 'select' | 'input' | 'confirm' | 'search';
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
  const turns = new Map<string, number>();
  const answerFor = (message: string): Answer | undefined => {
    // A command that asks forever (a loop on a default answer) fails the test instead of running out of memory.
    if (asked.length > 200) throw new Error(`more than 200 questions asked; the last: ${message}`);
    const answer = answers[message];
    if (answer === CANCEL) throw new CancelledError('cancelled: nothing was changed');
    return answer;
  };
  /** For select and search: the answer for this time the question is asked (an array is answered in turn). */
  const nextAnswer = (message: string): string | SearchAnswer | undefined => {
    const answer = answerFor(message);
    if (!Array.isArray(answer)) return answer as string | SearchAnswer | undefined;
    const turn = turns.get(message) ?? 0;
    turns.set(message, turn + 1);
    if (turn >= answer.length) throw new Error(`${message}: asked ${turn + 1} times, but the script answers it ${answer.length} times`);
    const now = answer[turn];
    if (now === CANCEL) throw new CancelledError('cancelled: nothing was changed');
    return now;
  };
  return {
    asked,
    async select<T>(message: string, choices: readonly Choice<T>[], defaultValue: T): Promise<T> {
      const preselected = choices.find((c) => Object.is(c.value, defaultValue));
      asked.push({ kind: 'select', message, defaultValue: preselected?.name, choices: choices.map((c) => c.name) });
      const answer = nextAnswer(message);
      if (answer === undefined) return defaultValue;
      // The exact label, else the one label that begins with the answer.
      const starting = choices.filter((c) => c.name.startsWith(String(answer)));
      const chosen = choices.find((c) => c.name === answer) ?? (starting.length === 1 ? starting[0] : undefined);
      if (!chosen) throw new Error(`${message}: no choice "${String(answer)}" among ${choices.map((c) => c.name).join(', ')}`);
      return chosen.value;
    },
    async input(message, options) {
      const question: AskedQuestion = { kind: 'input', message, defaultValue: options.defaultValue, refused: [] };
      asked.push(question);
      const answer = answerFor(message);
      // Enter on an untouched prompt takes the text offered.
      const texts = answer === undefined ? [options.defaultValue ?? ''] : Array.isArray(answer) ? answer.map(String) : [String(answer)];
      for (const text of texts) {
        const verdict = options.validate(text);
        if (verdict === true) return text;
        question.refused!.push({ text, message: verdict });
      }
      throw new Error(`${message}: every scripted answer was refused: ${JSON.stringify(question.refused)}`);
    },
    async search<T>(message: string, source: (term: string) => Promise<readonly Choice<T>[]>): Promise<T> {
      const answer = nextAnswer(message);
      const { type, pick } = typeof answer === 'object' ? answer : { type: answer ?? '', pick: undefined };
      const choices = await source(type);
      asked.push({ kind: 'search', message, defaultValue: type, choices: choices.map((c) => c.name) });
      const choosable = choices.filter((c) => !c.disabled);
      const chosen = pick === undefined ? choosable[0] : choosable.find((c) => c.name.startsWith(pick));
      if (!chosen)
        throw new Error(`${message}: typing ${JSON.stringify(type)} offers no choice "${String(pick)}" among ${choices.map((c) => c.name).join(' | ')}`);
      return chosen.value;
    },
    async confirm(message, defaultValue) {
      asked.push({ kind: 'confirm', message, defaultValue });
      const answer = answerFor(message);
      return answer === undefined ? defaultValue : Boolean(answer);
    },
  };
}
