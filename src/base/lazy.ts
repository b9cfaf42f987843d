// Loading a library on first use, synchronously: commands pay at start-up only
// for what they use (docs/performance.md), and the heavy libraries (zod, the phone metadata,
// CSV, tables) load only when a value of theirs is actually met.
import { requireHere } from './require-here.js';

/** `lazy(() => load())` returns a getter that loads once and then remembers. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
