// A theme color (#rrggbb) as a terminal below 24-bit color shows it
// (docs/portal.md, "Theme colors"): the nearest color of the 256-color
// palette (its 6×6×6 cube and 24 grays; the first 16 differ per terminal, so
// they are left out), or of the 16 basic colors as xterm draws them. Nearest
// by plain distance in RGB.

type Rgb = readonly [number, number, number];

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

/** The 256-color palette from 16 on: index and color. */
const PALETTE_256: readonly (readonly [number, Rgb])[] = [
  ...Array.from({ length: 216 }, (_, i): [number, Rgb] => [16 + i, [CUBE_LEVELS[Math.floor(i / 36)], CUBE_LEVELS[Math.floor(i / 6) % 6], CUBE_LEVELS[i % 6]]]),
  ...Array.from({ length: 24 }, (_, i): [number, Rgb] => [232 + i, [8 + 10 * i, 8 + 10 * i, 8 + 10 * i]]),
];

function rgbOf(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Squared redmean distance: RGB distance weighted by how much red both colors hold. */
function distance(a: Rgb, b: Rgb): number {
  const redMean = (a[0] + b[0]) / 2;
  return (2 + redMean / 256) * (a[0] - b[0]) ** 2 + 4 * (a[1] - b[1]) ** 2 + (2 + (255 - redMean) / 256) * (a[2] - b[2]) ** 2;
}

function nearest(hex: string, palette: readonly (readonly [number, Rgb])[]): number {
  const rgb = rgbOf(hex);
  let best = palette[0];
  for (const entry of palette) if (distance(rgb, entry[1]) < distance(rgb, best[1])) best = entry;
  return best[0];
}

/** The index (16–255) of the 256-color palette nearest to `hex`. */
export function nearest256(hex: string): number {
  return nearest(hex, PALETTE_256);
}
