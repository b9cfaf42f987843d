// Ctrl-C, a kill and a closed terminal (SIGINT, SIGTERM, SIGHUP) while a
// command has temporary files out: it removes them, then exits as the signal
// would have (128 + its number).

const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The exit code of a process ended by `signal`. */
export function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 15);
}

/** Call `handler` on the first interruption (instead of ending the process); returns what stops listening. */
export function whenInterrupted(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of INTERRUPTIONS) process.once(signal, handler);
  return () => {
    for (const signal of INTERRUPTIONS) process.off(signal, handler);
  };
}
