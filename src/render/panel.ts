// Reusable pieces of a text page: boxed panels, wrapped paragraphs and
// aligned columns, all measured in display columns (render/text-width.ts).
import type { Line, Segment, StyleName } from './page-style.js';
import { displayWidth, padding, truncateToWidth, wrapToWidth } from './text-width.js';

/** Columns the border and its inner spaces take: `│ ` … ` │`. */
export const PANEL_FRAME = 4;

const LIGHT = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' };
const HEAVY = { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║' };

export function lineWidth(line: Line): number {
  return line.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
}

/**
 * A box exactly `width` columns wide around `body`, with the title set in the
 * top border. Body lines must fit in `width - PANEL_FRAME` columns; one that
 * does not is truncated rather than allowed to spill.
 */
export function panel(title: string | null, body: readonly Line[], width: number, options: { heavy?: boolean } = {}): Line[] {
  const box = options.heavy ? HEAVY : LIGHT;
  const inner = width - PANEL_FRAME;
  const top: Line = [];
  if (title === null) {
    top.push({ text: box.tl + box.h.repeat(width - 2) + box.tr, style: 'border' });
  } else {
    const shown = truncateToWidth(title, width - 6);
    top.push({ text: `${box.tl}${box.h} `, style: 'border' });
    top.push({ text: shown, style: 'title' });
    top.push({ text: ` ${box.h.repeat(width - 5 - displayWidth(shown))}${box.tr}`, style: 'border' });
  }
  const lines: Line[] = [top];
  const left: Segment = { text: `${box.v} `, style: 'border' };
  const right: Segment = { text: ` ${box.v}`, style: 'border' };
  for (const line of body) {
    let used = lineWidth(line);
    let fitted = line;
    if (used > inner) {
      fitted = fitLine(line, inner);
      used = lineWidth(fitted);
    }
    lines.push([left, ...fitted, { text: ' '.repeat(inner - used) }, right]);
  }
  lines.push([{ text: box.bl + box.h.repeat(width - 2) + box.br, style: 'border' }]);
  return lines;
}

/** The line as it is when it fits; otherwise cut, keeping styles, to `width` columns. */
export function fitLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  const out: Line = [];
  let left = width;
  for (const segment of line) {
    const w = displayWidth(segment.text);
    if (w <= left - 1) {
      out.push(segment);
      left -= w;
      continue;
    }
    out.push({ ...segment, text: truncateToWidth(segment.text, left) });
    break;
  }
  return out;
}

/** A paragraph word-wrapped to `width` columns, each line indented by `indent` spaces. */
export function paragraph(text: string, width: number, options: { indent?: number; style?: StyleName } = {}): Line[] {
  const indent = options.indent ?? 0;
  return wrapToWidth(text, Math.max(1, width - indent)).map((part) => [{ text: ' '.repeat(indent) }, { text: part, style: options.style }]);
}

export type Align = 'left' | 'right';

export interface ColumnLayout {
  widths: number[];
  aligns: Align[];
  gap: number;
}

/** Columns wide enough for every cell given (header lines included). */
export function measureColumns(cells: readonly (readonly string[])[], aligns: Align[], gap: number): ColumnLayout {
  const widths = aligns.map((_, i) => Math.max(0, ...cells.map((row) => displayWidth(row[i] ?? ''))));
  return { widths, aligns, gap };
}

export function columnsWidth(layout: ColumnLayout): number {
  return layout.widths.reduce((sum, w) => sum + w, 0) + layout.gap * (layout.widths.length - 1);
}

/** One row laid out in the columns, indented by `indent` spaces. */
export function columnRow(layout: ColumnLayout, cells: readonly string[], options: { indent?: number; style?: StyleName } = {}): Line {
  const line: Line = [{ text: ' '.repeat(options.indent ?? 0) }];
  cells.forEach((cell, i) => {
    const pad = padding(cell, layout.widths[i]);
    const segment: Segment = { text: cell, style: options.style };
    if (i > 0) line.push({ text: ' '.repeat(layout.gap) });
    if (layout.aligns[i] === 'right') line.push({ text: pad }, segment);
    else line.push(segment, { text: pad });
  });
  return line;
}
