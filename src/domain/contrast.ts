// Text contrast by WCAG 2.x (docs/portal.md, "Theme colors"): the relative
// luminance of an sRGB color and the contrast ratio of two colors, which
// `pops doctor` holds the theme's backgrounds to.

/** A color as 0–255 red, green and blue. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** WCAG AA: the least contrast for normal text. */
export const AA_TEXT_CONTRAST = 4.5;

/** The text colors pops assumes on theme backgrounds: dark text, or light text with `themeDark`. */
export const DARK_TEXT = '#000000';
export const LIGHT_TEXT = '#ffffff';

const HEX_COLOR = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

/** `#rrggbb` (any case) as red, green and blue; null for anything else. */
export function parseHexColor(text: string): Rgb | null {
  const match = HEX_COLOR.exec(text);
  if (match === null) return null;
  return { r: parseInt(match[1], 16), g: parseInt(match[2], 16), b: parseInt(match[3], 16) };
}

/** One sRGB channel (0–255) made linear, with WCAG 2.x's 0.03928 threshold. */
function linearChannel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(color: Rgb): number {
  return 0.2126 * linearChannel(color.r) + 0.7152 * linearChannel(color.g) + 0.0722 * linearChannel(color.b);
}

/** (L1 + 0.05) / (L2 + 0.05), the lighter color's luminance over the darker's: 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * A ratio as `3.2:1`: rounded down to one decimal, so a ratio below 4.5 never
 * reads as `4.5:1`.
 */
export function formatContrast(ratio: number): string {
  // The epsilon keeps a ratio computed as 3.1999999… at 3.2.
  return `${(Math.floor(ratio * 10 + 1e-9) / 10).toFixed(1)}:1`;
}

/** The theme settings whose colors text sits on. */
export interface ThemeGrounds {
  themeBackground: string | null;
  themeSurface: string | null;
  themeDark: boolean;
}

/** A theme color that text does not stand out on enough (below AA_TEXT_CONTRAST). */
export interface LowContrast {
  setting: 'themeBackground' | 'themeSurface';
  color: string;
  /** The text color assumed on it: DARK_TEXT, or LIGHT_TEXT with themeDark. */
  textColor: string;
  ratio: number;
}

/** The background and surface (in that order, each when set) on which the theme's text falls below WCAG AA. */
export function lowContrastGrounds(theme: ThemeGrounds): LowContrast[] {
  const textColor = theme.themeDark ? LIGHT_TEXT : DARK_TEXT;
  const text = parseHexColor(textColor)!;
  const found: LowContrast[] = [];
  for (const setting of ['themeBackground', 'themeSurface'] as const) {
    const color = theme[setting];
    const rgb = color === null ? null : parseHexColor(color);
    if (color === null || rgb === null) continue;
    const ratio = contrastRatio(rgb, text);
    if (ratio < AA_TEXT_CONTRAST) found.push({ setting, color, textColor, ratio });
  }
  return found;
}
