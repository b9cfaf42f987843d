// Styles of the Account page. Layout measures plain text; color, when the page
// has it, is painted onto each piece as it is laid down, so escape codes never
// count toward a width.
import { Chalk } from 'chalk';

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

/** `text` in `style` (unchanged without a painter, a style or any text). */
export function paintText(paint: Painter | null, text: string, style?: StyleName): string {
  return style !== undefined && paint !== null && text !== '' ? paint(style, text) : text;
}
