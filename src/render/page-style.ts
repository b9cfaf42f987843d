// Styles of the Account page. Layout measures plain text; color, when the page
// has it, is painted onto each piece as it is laid down, so escape codes never
// count toward a width.
import { Chalk } from 'chalk';
import type { GroupSettings } from '../domain/group-settings.js';

export type StyleName = 'border' | 'title' | 'heading' | 'strong' | 'payNow' | 'alert' | 'muted';

export type Painter = (style: StyleName, text: string) => string;

/** The painter for `color`: none without color; basic 16-color ANSI with it (deterministic, not sniffed). */
export function painter(color: boolean): Painter | null {
  if (!color) return null;
  const chalk = new Chalk({ level: 1 });
  const styles: Record<StyleName, (text: string) => string> = {
    border: chalk.dim,
    title: chalk.bold,
    heading: chalk.bold,
    strong: chalk.bold,
    payNow: chalk.bold.green,
    alert: chalk.bold.red,
    muted: chalk.dim,
  };
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

/** The painter of a page seen through a group: its theme colors when it has any, else the v1 colors. */
export function pagePainter(theme: ThemeSettings, options: PaintOptions): Painter | null {
  void theme;
  return painter(options.color);
}

/** `text` in `style` (unchanged without a painter, a style or any text). */
export function paintText(paint: Painter | null, text: string, style?: StyleName): string {
  return style !== undefined && paint !== null && text !== '' ? paint(style, text) : text;
}
