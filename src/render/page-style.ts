// Styled text for the Account page: layout works on plain segments (so widths
// are measured without escape codes), and color is painted on at the very end.
import { Chalk } from 'chalk';

export type StyleName = 'border' | 'title' | 'heading' | 'strong' | 'payNow' | 'alert' | 'muted';

export interface Segment {
  text: string;
  style?: StyleName;
}

/** One output line, as segments; its width is the sum of the segments' widths. */
export type Line = Segment[];

export type Painter = (style: StyleName, text: string) => string;

const plain: Painter = (_style, text) => text;

/** The painter for `color`: identity without color; basic 16-color ANSI with it (deterministic, not sniffed). */
export function painter(color: boolean): Painter {
  if (!color) return plain;
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

/** Join lines into text: trailing spaces dropped, every line ends with a newline. */
export function linesToText(lines: readonly Line[], paint: Painter): string {
  // Pieces joined once at the end: a flat string, cheap to encode and write.
  const out: string[] = [];
  for (const line of lines) {
    // Trailing blank segments and trailing spaces are dropped before any color is applied.
    let end = line.length;
    while (end > 0 && line[end - 1].text.trimEnd() === '') end -= 1;
    for (let i = 0; i < end; i += 1) {
      const segment = line[i];
      const text = i === end - 1 ? segment.text.trimEnd() : segment.text;
      out.push(segment.style && text !== '' ? paint(segment.style, text) : text);
    }
    out.push('\n');
  }
  return out.join('');
}
