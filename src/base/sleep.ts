// Waiting without an event loop, for code that must stay synchronous.

/** Wait `ms` milliseconds, blocking this thread. */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
