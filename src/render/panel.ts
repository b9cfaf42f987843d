// The text page the Account page is written on: boxed panels, wrapped
// paragraphs and aligned columns, all measured in display columns
// (render/text-width.ts). Lines are built as strings as they go — no
// intermediate segment lists — and a page without color takes shortcuts that
// give the same bytes: lines that need no style or cut are written whole, and
// the frame of a panel (borders, blank lines) is made once per width, so ten
// thousand pages render quickly (docs/performance.md).
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
  /** The border before and after a line inside: `│ ` and ` │`. */
  left: string;
  right: string;
}

const LIGHT: Box = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│', left: '│ ', right: ' │' };
const HEAVY: Box = { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║', left: '║ ', right: ' ║' };

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
    if (this.width + width > this.max) {
      const shown = truncateToWidth(text, this.max - this.width);
      this.full = true;
      this.text += paintText(this.paint, shown, style);
      this.width += displayWidth(shown);
    } else {
      this.text += style === undefined || this.paint === null ? text : paintText(this.paint, text, style);
      this.width += width;
    }
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
  const widths = aligns.map(() => 0);
  for (const row of cells) {
    for (let i = 0; i < widths.length; i += 1) {
      const cell = row[i];
      if (cell !== undefined) widths[i] = Math.max(widths[i], displayWidth(cell));
    }
  }
  return { widths, aligns, gap };
}

export function columnsWidth(layout: ColumnLayout): number {
  let sum = layout.gap * (layout.widths.length - 1);
  for (const w of layout.widths) sum += w;
  return sum;
}

/** The unpainted frame lines of one page width, made once: see `framesOf`. */
interface Frames {
  /** A panel's blank line, light and heavy. */
  blank: [string, string];
  /** A panel's top border without a title, light and heavy. */
  top: [string, string];
  /** A panel's bottom border, light and heavy. */
  bottom: [string, string];
  /** Light top borders with a title, by title. */
  titled: Map<string, string>;
  rule: string;
}

const FRAMES = new Map<number, Frames>();

function framesOf(width: number): Frames {
  let frames = FRAMES.get(width);
  if (frames === undefined) {
    const blank = (box: Box) => box.left + spaces(width - PANEL_FRAME) + box.right;
    const edge = (box: Box, left: string, right: string) => left + box.h.repeat(width - 2) + right;
    frames = {
      blank: [blank(LIGHT), blank(HEAVY)],
      top: [edge(LIGHT, LIGHT.tl, LIGHT.tr), edge(HEAVY, HEAVY.tl, HEAVY.tr)],
      bottom: [edge(LIGHT, LIGHT.bl, LIGHT.br), edge(HEAVY, HEAVY.bl, HEAVY.br)],
      titled: new Map(),
      rule: '─'.repeat(width),
    };
    FRAMES.set(width, frames);
  }
  return frames;
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
  /**
   * The page's lines, without their newlines, joined once at the end: one flat
   * string, where appending to one string makes a rope that costs more to
   * write out than it saved (docs/performance.md, "Snapshots").
   */
  private readonly lines: string[] = [];
  private box: Box | null = null;
  private left = '';
  private right = '';
  private readonly ground: ((line: string, where: Ground) => string) | null;
  /** The frame lines of this width; used only on a page without color, where they are never painted. */
  private readonly frames: Frames | null;

  constructor(
    readonly width: number,
    readonly paint: Painter | null,
  ) {
    this.ground = paint?.ground ?? null;
    this.frames = paint === null ? framesOf(width) : null;
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
    this.writeText(line.text, line.width);
  }

  /** A line's (painted) text `width` columns wide, no wider than the columns available. */
  private writeText(text: string, width: number): void {
    if (this.box === null) this.push(text.trimEnd(), 'page');
    else this.push(this.left + text + spaces(this.available - width) + this.right, 'panel');
  }

  private push(text: string, where: Ground): void {
    this.lines.push(this.ground === null ? text : this.ground(text, where));
  }

  blank(): void {
    if (this.box === null) this.push('', 'page');
    else if (this.frames !== null) this.push(this.frames.blank[this.box === HEAVY ? 1 : 0], 'panel');
    else this.write(this.line());
  }

  /** A horizontal rule across the page (outside panels). */
  rule(): void {
    if (this.frames !== null && this.box === null) this.push(this.frames.rule, 'page');
    else this.write(this.line().add('─'.repeat(this.width), 'border', this.width));
  }

  /** Open a box `width` columns wide, with the title set in its top border. */
  openPanel(title: string | null, options: { heavy?: boolean } = {}): void {
    const box = options.heavy ? HEAVY : LIGHT;
    this.push(this.topBorder(box, title), 'panel');
    this.box = box;
    this.left = paintText(this.paint, box.left, 'border');
    this.right = paintText(this.paint, box.right, 'border');
  }

  private topBorder(box: Box, title: string | null): string {
    const { frames } = this;
    if (frames !== null) {
      if (title === null) return frames.top[box === HEAVY ? 1 : 0];
      if (box === LIGHT) {
        let top = frames.titled.get(title);
        if (top === undefined) {
          top = this.titledBorder(box, title);
          frames.titled.set(title, top);
        }
        return top;
      }
    }
    if (title === null) return paintText(this.paint, box.tl + box.h.repeat(this.width - 2) + box.tr, 'border');
    return this.titledBorder(box, title);
  }

  private titledBorder(box: Box, title: string): string {
    const { width } = this;
    const top = new LineBuilder(this.paint, Infinity);
    const shown = truncateToWidth(title, width - 6);
    const shownWidth = displayWidth(shown);
    top.add(`${box.tl}${box.h} `, 'border', 3);
    top.add(shown, 'title', shownWidth);
    top.add(` ${box.h.repeat(width - 5 - shownWidth)}${box.tr}`, 'border', width - 3 - shownWidth);
    return top.text;
  }

  closePanel(): void {
    const box = this.box;
    if (box === null) throw new Error('no panel is open');
    this.box = null;
    if (this.frames !== null) this.push(this.frames.bottom[box === HEAVY ? 1 : 0], 'panel');
    else this.push(this.line().add(box.bl + box.h.repeat(this.width - 2) + box.br, 'border', this.width).text, 'panel');
  }

  /** A paragraph word-wrapped to the columns available, each line indented by `indent` spaces. */
  paragraph(text: string, options: { indent?: number; style?: StyleName } = {}): void {
    const indent = options.indent ?? 0;
    const style = options.style;
    const available = this.available;
    const widths: number[] = [];
    const parts = wrapToWidth(text, Math.max(1, available - indent), widths);
    for (let i = 0; i < parts.length; i += 1) {
      const width = indent + widths[i];
      // A part that fits needs no cut: unstyled (or without color) it is written as it is.
      if (width <= available && (style === undefined || this.paint === null)) this.writeText(indent > 0 ? spaces(indent) + parts[i] : parts[i], width);
      else this.write(this.line().spaces(indent).add(parts[i], style, widths[i]));
    }
  }

  /** One row laid out in the columns, indented by `indent` spaces (the cells' widths may be given when known). */
  columnRow(layout: ColumnLayout, cells: readonly string[], options: { indent?: number; style?: StyleName; widths?: readonly number[] } = {}): void {
    const indent = options.indent ?? 0;
    const given = options.widths;
    if (options.style === undefined || this.paint === null) {
      // Nothing to paint: the row as one string, written as it is when it fits (nothing is cut).
      let text = spaces(indent);
      let width = Math.max(0, indent);
      for (let i = 0; i < cells.length; i += 1) {
        const cell = cells[i];
        const cellWidth = given ? given[i] : displayWidth(cell);
        const pad = Math.max(0, layout.widths[i] - cellWidth);
        if (i > 0 && layout.gap > 0) {
          text += spaces(layout.gap);
          width += layout.gap;
        }
        text += layout.aligns[i] === 'right' ? spaces(pad) + cell : cell + spaces(pad);
        width += pad + cellWidth;
      }
      if (width <= this.available) {
        this.writeText(text, width);
        return;
      }
    }
    const line = this.line().spaces(indent);
    for (let i = 0; i < cells.length; i += 1) {
      const cell = cells[i];
      const cellWidth = given ? given[i] : displayWidth(cell);
      const pad = Math.max(0, layout.widths[i] - cellWidth);
      if (i > 0) line.spaces(layout.gap);
      if (layout.aligns[i] === 'right') line.spaces(pad).add(cell, options.style, cellWidth);
      else line.add(cell, options.style, cellWidth).spaces(pad);
    }
    this.write(line);
  }

  /** The page: every line ends with a newline. */
  toString(): string {
    if (this.lines.length === 0) return '';
    // An empty last line gives the newline after the last line, in the one flat string join makes.
    this.lines.push('');
    const page = this.lines.join('\n');
    this.lines.pop();
    return page;
  }
}
