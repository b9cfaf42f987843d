// A hand-drawn progress bar on stderr for long writes: `\r[#####     ] 1200/10000`.
// The caller decides whether to show one (stderr a TTY, a large input).
import type { IO } from '../base/io.js';

export interface Progress {
  /** `done` items of the total are finished. */
  update(done: number): void;
  /** Erase the bar, leaving the line empty for what follows. */
  finish(): void;
}

const WIDTH = 30;

export function progressBar(io: IO, total: number): Progress {
  let drawn = -1;
  let lastLength = 0;
  const draw = (done: number) => {
    const filled = total === 0 ? WIDTH : Math.floor((done / total) * WIDTH);
    const text = `\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total}`;
    lastLength = text.length - 1;
    io.err(text);
  };
  return {
    update(done) {
      // Redraw about 200 times in all, not once per item: terminals are slow.
      const step = Math.floor((done * 200) / Math.max(total, 1));
      if (step === drawn && done !== total) return;
      drawn = step;
      draw(done);
    },
    finish() {
      if (drawn >= 0) io.err(`\r${' '.repeat(lastLength)}\r`);
    },
  };
}
