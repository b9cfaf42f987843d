// The text page the Account page is written on: boxed panels, wrapped
// paragraphs and aligned columns, all measured in display columns
// (render/text-width.ts). Lines are built as strings as they go — no
// intermediate segment lists — so ten thousand pages render quickly (docs/performance.md).
import { paintText, type Ground, type Painter, type StyleName } from './page-style.js';
import { displayWidth, spaces, truncateToWidth, wrapToWidth } from '../base/text-width.js';

/** Columns the border and its inner spaces take: `│ ` … ` │`. */
export const PANEL_FRAME = 4;

interface Box {
  tl: string;
  tr: string;
  bl: string;
  br: string;
  h: string;
  v: string;
}

const LIGHT: Box = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' };
const HEAVY: Box = { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║' };

/**
 * One line being built: its text (painted when the page has color) and its
 * width in columns. It never grows past `max` columns: the piece that would
 * overflow is cut, ending in `…`, and everything after it is dropped.
 */
export class LineBuilder {
  text = '';
  width = 0;
  private full = false;

  constructor(
    private readonly paint: Painter | null,
    readonly max: number,
  ) {}

  /** Append `text` in `style`; pass its `width` when it is already known. */
  add(text: string, style?: StyleName, width = displayWidth(text)): this {
    if (this.full) return this;
    let shown = text;
    let shownWidth = width;
    if (this.width + width > this.max) {
      shown = truncateToWidth(text, this.max - this.width);
      shownWidth = displayWidth(shown);
      this.full = true;
    }
    this.text += paintText(this.paint, shown, style);
    this.width += shownWidth;
    return this;
  }

  spaces(count: number): this {
    return count > 0 ? this.add(spaces(count), undefined, count) : this;
  }
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

/**
 * A page of text `width` columns wide. Panels are opened and closed around
 * their body; body lines are fitted to the panel (padded, or cut when too
 * wide) and framed as they are written. Trailing spaces are dropped from
 * lines outside panels; every line ends with a newline. With a themed
 * painter, each whole line is then painted on its ground: a panel's lines,
 * borders included, on the surface; other lines, up to their last character,
 * on the background (docs/portal.md, "Theme colors").
 */
export class PageWriter {
  private readonly lines: string[] = [];
  private box: Box | null = null;
  private left = '';
  private right = '';
  private readonly ground: ((line: string, where: Ground) => string) | null;

  constructor(
    readonly width: number,
    readonly paint: Painter | null,
  ) {
    this.ground = paint?.ground ?? null;
  }

  /** Columns a line may take here: inside a panel, the panel's inner width. */
  get available(): number {
    return this.box === null ? this.width : this.width - PANEL_FRAME;
  }

  /** A new, empty line no wider than the columns available. */
  line(): LineBuilder {
    return new LineBuilder(this.paint, this.available);
  }

  /**
   * Lines outside panels lose their trailing spaces here, after painting: a
   * styled piece that ends such a line must not end in spaces (none does:
   * wrapped words and rules never do).
   */
  write(line: LineBuilder): void {
    if (this.box === null) this.push(line.text.trimEnd(), 'page');
    else this.push(this.left + line.text + spaces(this.available - line.width) + this.right, 'panel');
  }

  private push(text: string, where: Ground): void {
    this.lines.push(this.ground === null ? text : this.ground(text, where));
  }

  blank(): void {
    this.write(this.line());
  }

  /** A horizontal rule across the page (outside panels). */
  rule(): void {
    this.write(this.line().add('─'.repeat(this.width), 'border', this.width));
  }

  /** Open a box `width` columns wide, with the title set in its top border. */
  openPanel(title: string | null, options: { heavy?: boolean } = {}): void {
    const box = options.heavy ? HEAVY : LIGHT;
    const { width } = this;
    const top = new LineBuilder(this.paint, Infinity);
    if (title === null) {
      top.add(box.tl + box.h.repeat(width - 2) + box.tr, 'border', width);
    } else {
      const shown = truncateToWidth(title, width - 6);
      const shownWidth = displayWidth(shown);
      top.add(`${box.tl}${box.h} `, 'border', 3);
      top.add(shown, 'title', shownWidth);
      top.add(` ${box.h.repeat(width - 5 - shownWidth)}${box.tr}`, 'border', width - 3 - shownWidth);
    }
    this.push(top.text, 'panel');
    this.box = box;
    this.left = paintText(this.paint, `${box.v} `, 'border');
    this.right = paintText(this.paint, ` ${box.v}`, 'border');
  }

  closePanel(): void {
    const box = this.box;
    if (box === null) throw new Error('no panel is open');
    this.box = null;
    this.push(this.line().add(box.bl + box.h.repeat(this.width - 2) + box.br, 'border', this.width).text, 'panel');
  }

  /** A paragraph word-wrapped to the columns available, each line indented by `indent` spaces. */
  paragraph(text: string, options: { indent?: number; style?: StyleName } = {}): void {
    const indent = options.indent ?? 0;
    for (const part of wrapToWidth(text, Math.max(1, this.available - indent))) {
      this.write(this.line().spaces(indent).add(part, options.style));
    }
  }

  /** One row laid out in the columns, indented by `indent` spaces (the cells' widths may be given when known). */
  columnRow(layout: ColumnLayout, cells: readonly string[], options: { indent?: number; style?: StyleName; widths?: readonly number[] } = {}): void {
    const line = this.line().spaces(options.indent ?? 0);
    for (let i = 0; i < cells.length; i += 1) {
      const cell = cells[i];
      const cellWidth = options.widths ? options.widths[i] : displayWidth(cell);
      const pad = Math.max(0, layout.widths[i] - cellWidth);
      if (i > 0) line.spaces(layout.gap);
      if (layout.aligns[i] === 'right') line.spaces(pad).add(cell, options.style, cellWidth);
      else line.add(cell, options.style, cellWidth).spaces(pad);
    }
    this.write(line);
  }

  toString(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}
