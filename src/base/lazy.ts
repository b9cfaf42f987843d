// Loading a library on first use, synchronously: commands pay at start-up only
// for what they use (docs/performance.md), and the heavy libraries (zod, the phone metadata,
// CSV, tables) load only when a value of theirs is actually met.
import nodeModule from 'node:module';

const requireFromHere = nodeModule.createRequire(import.meta.url);

/** `lazy(() => load())` returns a getter that loads once and then remembers. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(specifier) as T);
}
