// Styles of the portal's pages. Layout measures plain text; color, when the
// page has it, is painted onto each piece as it is laid down and then onto
// each whole line (its ground), so escape codes never count toward a width.
// The theme's colors and what a terminal makes of them: docs/portal.md, "Theme colors".
import { Chalk, type ChalkInstance } from 'chalk';
import { DARK_TEXT, LIGHT_TEXT, parseHexColor } from '../domain/contrast.js';
import type { GroupSettings } from '../domain/group-settings.js';
import { nearest256 } from './terminal-colors.js';

export type StyleName = 'border' | 'title' | 'heading' | 'strong' | 'payNow' | 'alert' | 'muted';

/** Where a written line sits: on the page (outside panels) or on a panel (its borders included). */
export type Ground = 'page' | 'panel';

/** Paints pieces of text in a style; a themed painter also paints whole lines on their ground. */
export interface Painter {
  (style: StyleName, text: string): string;
  /**
   * A whole written line on its ground: the theme's background on the page,
   * its surface on a panel, with the theme's text color. Absent when neither is set.
   */
  readonly ground?: (line: string, where: Ground) => string;
}

/** One chalk per color level, made when first needed. */
const chalks = new Map<1 | 2 | 3, ChalkInstance>();

function chalkAt(level: 1 | 2 | 3): ChalkInstance {
  let chalk = chalks.get(level);
  if (chalk === undefined) {
    chalk = new Chalk({ level });
    chalks.set(level, chalk);
  }
  return chalk;
}

/** The v1 styles: bold, dim and basic 16-color ANSI (the same codes at every level). */
function v1Styles(chalk: ChalkInstance): Record<StyleName, (text: string) => string> {
  return {
    border: chalk.dim,
    title: chalk.bold,
    heading: chalk.bold,
    strong: chalk.bold,
    payNow: chalk.bold.green,
    alert: chalk.bold.red,
    muted: chalk.dim,
  };
}

/** The painter for `color`: none without color; the v1 styles with it (deterministic, not sniffed). */
export function painter(color: boolean): Painter | null {
  if (!color) return null;
  const styles = v1Styles(chalkAt(1));
  return (style, text) => styles[style](text);
}

/** The theme settings of a group (docs/portal.md, "Theme colors"). */
export type ThemeSettings = Pick<
  GroupSettings,
  | 'themeBackground'
  | 'themeSurface'
  | 'themePrimary'
  | 'themeSecondary'
  | 'themeAccent'
  | 'themeInfo'
  | 'themeSuccess'
  | 'themeError'
  | 'themeWarning'
  | 'themeDark'
>;

export interface PaintOptions {
  /** Paint at all (the caller's stdout allows color). */
  color: boolean;
  /** What the terminal can show: 1 = 16 colors, 2 = 256, 3 = 24-bit (default 1). */
  colorLevel?: 1 | 2 | 3;
}

/** A theme color as chalk takes it, or null when unset (or not `#rrggbb`). */
function themeColor(value: string | null): string | null {
  return value !== null && parseHexColor(value) !== null ? value : null;
}

/**
 * The painter of a page seen through a group. Without color: none, whatever
 * the theme. With color and none of the theme colors a terminal shows
 * (background, surface, primary, accent, warning): the v1 painter, unchanged.
 * Otherwise each of those colors replaces the v1 color of its part (borders
 * and titles, Pay Now, the collection notice); a part whose color is unset
 * keeps its v1 style. Colors are 24-bit at level 3 and the nearest palette
 * color below it.
 */
export function pagePainter(theme: ThemeSettings, options: PaintOptions): Painter | null {
  if (!options.color) return null;
  const background = themeColor(theme.themeBackground);
  const surface = themeColor(theme.themeSurface);
  const primary = themeColor(theme.themePrimary);
  const accent = themeColor(theme.themeAccent);
  const warning = themeColor(theme.themeWarning);
  if (background === null && surface === null && primary === null && accent === null && warning === null) return painter(true);

  const level = options.colorLevel ?? 1;
  const chalk = chalkAt(level);
  const styles = v1Styles(chalk);
  const fg = (base: ChalkInstance, hex: string): ChalkInstance => inColor(base, hex, level, 'fg');
  if (primary !== null) {
    styles.border = fg(chalk, primary);
    styles.title = fg(chalk.bold, primary);
  }
  if (accent !== null) styles.payNow = fg(chalk.bold, accent);
  if (warning !== null) styles.alert = fg(chalk.bold, warning);
  const paint = (style: StyleName, text: string): string => styles[style](text);
  if (background === null && surface === null) return paint;

  // On a painted ground the text color is set too: dark text, or light text
  // with themeDark (the colors `pops doctor` checks the contrast of).
  const text = theme.themeDark ? LIGHT_TEXT : DARK_TEXT;
  const on = (ground: string): ChalkInstance => inColor(inColor(chalk, ground, level, 'bg'), text, level, 'fg');
  const onPage = background === null ? null : on(background);
  const onPanel = surface === null ? null : on(surface);
  const ground = (line: string, where: Ground): string => {
    const on = where === 'page' ? onPage : onPanel;
    return on === null || line === '' ? line : on(line);
  };
  return Object.assign(paint, { ground });
}

/**
 * `base` with `hex` as its text (fg) or background (bg) color: 24-bit at level
 * 3; at level 2 the nearest color of the 256-color palette
 * (render/terminal-colors.ts); at level 1 chalk's basic color for it, which
 * keeps the hue (the nearest of 16 by distance often is a gray).
 */
function inColor(base: ChalkInstance, hex: string, level: 1 | 2 | 3, where: 'fg' | 'bg'): ChalkInstance {
  if (level === 2) return where === 'fg' ? base.ansi256(nearest256(hex)) : base.bgAnsi256(nearest256(hex));
  return where === 'fg' ? base.hex(hex) : base.bgHex(hex);
}

/** `text` in `style` (unchanged without a painter, a style or any text). */
export function paintText(paint: Painter | null, text: string, style?: StyleName): string {
  return style !== undefined && paint !== null && text !== '' ? paint(style, text) : text;
}
