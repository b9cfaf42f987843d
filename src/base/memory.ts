// Keeping a long streamed output in flat memory (docs/performance.md, "Memory").
// V8 doubles its young generation (up to 16 MiB per half) whenever enough
// objects survive its scavenges, and a stream of many thousand rows always
// has some in flight: the process then grows with the length of the output.
// Fixing the growth factor at 1 keeps the young generation at its starting
// size, which costs no measurable time for rows that die young. The flag is
// read by V8 each time it would grow, so setting it at run time takes effect.
import { lazyModule } from './lazy.js';

const v8 = lazyModule<typeof import('node:v8')>('node:v8');
let kept = false;

/** Call before streaming a long output; once per process. */
export function keepYoungGenerationSmall(): void {
  if (kept) return;
  kept = true;
  v8().setFlagsFromString('--semi-space-growth-factor=1');
}
