// Theme colors (docs/portal.md, "Theme colors"): with color on, a group's theme
// paints borders and titles, Pay Now, the collection notice and the grounds
// at the terminal's color level; with none set, the v1 colors; without color,
// nothing. Escape codes never change the text: stripped, a colored page is
// the uncolored page byte for byte.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import type { AccountPage, PageGroup } from '../../src/domain/account-page.js';
import { VIEW_NAMES } from '../../src/domain/portal.js';
import { PAY_NOW, renderAccountPage } from '../../src/render/account-page.js';
import { pagePainter, painter, type ThemeSettings } from '../../src/render/page-style.js';
import { renderView } from '../../src/render/portal-pages.js';
import { colorLevelOf, makeIO } from '../../src/base/io.js';
import { makeStore, pops } from '../helpers/cli.js';
import { baseDump, account, encounter, line } from '../helpers/dumps.js';
import { LAKESIDE_GROUP, leoVisits } from '../helpers/pages.js';

const ANSI = /\u001b\[\d+(;\d+)*m/g;
const strip = (text: string) => text.replace(ANSI, '');

const LAKESIDE: PageGroup = LAKESIDE_GROUP;

/** A theme with every color a terminal shows set (and the others too). */
const OCEAN: Partial<ThemeSettings> = {
  themeBackground: '#fdf6e3',
  themeSurface: '#eee8d5',
  themePrimary: '#1f6feb',
  themeSecondary: '#6e7781',
  themeAccent: '#2da44e',
  themeInfo: '#0969da',
  themeSuccess: '#1a7f37',
  themeError: '#cf222e',
  themeWarning: '#bf8700',
};

function page(group: Partial<PageGroup> = {}): AccountPage {
  return {
    group: { ...LAKESIDE, ...group },
    accountNumber: '10004',
    guarantorName: 'Maria Rivera',
    figures: { amountDue: 8500, lastStatement: 12000, currentBalance: 15300, unappliedFunds: 0, payableOnline: 15300, collectionBalance: 24000 },
    collectionAgencies: ['Summit Recovery Services'],
    visits: leoVisits(),
    statements: [
      { date: '2026-10-01', dueDate: '2026-10-26', amountDue: 15000 },
      { date: '2026-09-01', dueDate: '2026-09-26', amountDue: 12000 },
    ],
    latestStatement: { date: '2026-10-01', dueDate: '2026-10-26', amountDue: 15000 },
    receipts: [{ date: '2026-10-05', status: 'paid', method: 'card', amount: 2500 }],
  } as AccountPage;
}

const render = (p: AccountPage, options: { color: boolean; colorLevel?: 1 | 2 | 3; width?: number }) =>
  renderAccountPage(p, { width: options.width ?? 80, color: options.color, colorLevel: options.colorLevel });

/** The line of the page that holds `text` (after stripping escapes). */
function lineWith(text: string, needle: string): string {
  const found = text.split('\n').find((row) => strip(row).includes(needle));
  if (found === undefined) throw new Error(`no line with ${needle}`);
  return found;
}

const fg24 = (r: number, g: number, b: number) => `\u001b[38;2;${r};${g};${b}m`;
const bg24 = (r: number, g: number, b: number) => `\u001b[48;2;${r};${g};${b}m`;

describe('without color', () => {
  it('the theme changes nothing: no painter, and the same bytes as a group without a theme', () => {
    expect(pagePainter({ ...LAKESIDE, ...OCEAN, themeDark: true }, { color: false, colorLevel: 3 })).toBeNull();
    const plain = render(page(), { color: false });
    expect(plain).not.toMatch(/\u001b/);
    for (const colorLevel of [1, 2, 3] as const) {
      expect(render(page(OCEAN), { color: false, colorLevel })).toBe(plain);
      expect(render(page({ ...OCEAN, themeDark: true }), { color: false, colorLevel })).toBe(plain);
    }
  });
});

describe('a group with no theme colors', () => {
  it('gets exactly the v1 colors at every level, themeDark and the unused colors included', () => {
    const v1 = render(page(), { color: true });
    // The v1 codes: dim borders, bold titles, bold green Pay Now, bold red collection amount, 16 colors only.
    expect(lineWith(v1, PAY_NOW)).toContain(`\u001b[1m\u001b[32m${PAY_NOW}\u001b[39m\u001b[22m`);
    expect(lineWith(v1, 'Amount in Collections')).toContain('\u001b[1m\u001b[31m$240.00\u001b[39m\u001b[22m');
    expect(v1.split('\n')[0]).toMatch(/^\u001b\[2m╔═+╗\u001b\[22m$/);
    expect(v1).not.toMatch(/\u001b\[(38|48);/);
    for (const colorLevel of [1, 2, 3] as const) {
      expect(render(page(), { color: true, colorLevel })).toBe(v1);
      // Colors a terminal does not show, and themeDark without a ground to put light text on, change nothing.
      const unused = { themeSecondary: '#6e7781', themeInfo: '#0969da', themeSuccess: '#1a7f37', themeError: '#cf222e', themeDark: true };
      expect(render(page(unused), { color: true, colorLevel })).toBe(v1);
    }
  });

  it('the painter is the v1 painter', () => {
    const themed = pagePainter(LAKESIDE, { color: true, colorLevel: 3 })!;
    const v1 = painter(true)!;
    for (const style of ['border', 'title', 'heading', 'strong', 'payNow', 'alert', 'muted'] as const) expect(themed(style, 'x')).toBe(v1(style, 'x'));
    expect(themed.ground).toBeUndefined();
  });
});

describe('theme colors at 24-bit (level 3)', () => {
  const text = render(page(OCEAN), { color: true, colorLevel: 3 });

  it('paints borders and titles in themePrimary', () => {
    const [top] = text.split('\n');
    expect(top).toContain(`${fg24(0x1f, 0x6f, 0xeb)}╔═`);
    expect(lineWith(text, 'Account Summary')).toContain(`\u001b[1m${fg24(0x1f, 0x6f, 0xeb)}Account Summary`);
  });

  it('paints Pay Now in themeAccent and the collection amount in themeWarning, bold as in v1', () => {
    expect(lineWith(text, PAY_NOW)).toContain(`\u001b[1m${fg24(0x2d, 0xa4, 0x4e)}${PAY_NOW}`);
    expect(lineWith(text, 'Amount in Collections')).toContain(`\u001b[1m${fg24(0xbf, 0x87, 0x00)}$240.00`);
  });

  it('puts every panel line, borders included, on themeSurface with dark text', () => {
    const surface = `${bg24(0xee, 0xe8, 0xd5)}${fg24(0, 0, 0)}`;
    const rows = text.slice(0, -1).split('\n');
    const panelRows = rows.filter((row) => /^[╔║╚┌│└]/.test(strip(row)));
    expect(panelRows.length).toBeGreaterThan(15);
    for (const row of panelRows) {
      expect(row.startsWith(surface), JSON.stringify(row)).toBe(true);
      expect(row.endsWith('\u001b[49m'), JSON.stringify(row)).toBe(true);
    }
    // A colored piece returns to the dark text, not to the terminal's own color.
    expect(lineWith(text, PAY_NOW)).toContain(`${PAY_NOW}\u001b[39m${fg24(0, 0, 0)}`);
  });

  it('puts text outside panels on themeBackground up to its last character; blank lines stay empty', () => {
    const phone = lineWith(text, 'Phone: (312) 555-0142');
    expect(phone).toBe(`${bg24(0xfd, 0xf6, 0xe3)}${fg24(0, 0, 0)}Phone: (312) 555-0142\u001b[39m\u001b[49m`);
    expect(text.split('\n')).toContain('');
  });

  it('with themeDark, the text on the grounds is light (#ffffff)', () => {
    const dark = render(page({ ...OCEAN, themeBackground: '#0d1117', themeSurface: '#161b22', themeDark: true }), { color: true, colorLevel: 3 });
    expect(dark.split('\n')[0].startsWith(`${bg24(0x16, 0x1b, 0x22)}${fg24(255, 255, 255)}`)).toBe(true);
    expect(lineWith(dark, 'Phone:').startsWith(`${bg24(0x0d, 0x11, 0x17)}${fg24(255, 255, 255)}`)).toBe(true);
    expect(dark).not.toContain(fg24(0, 0, 0));
  });

  it('a part whose color is unset keeps its v1 style; an unset ground is not painted', () => {
    const partial = render(page({ themePrimary: '#1f6feb' }), { color: true, colorLevel: 3 });
    expect(lineWith(partial, PAY_NOW)).toContain(`\u001b[1m\u001b[32m${PAY_NOW}`);
    expect(lineWith(partial, 'Amount in Collections')).toContain('\u001b[1m\u001b[31m$240.00');
    expect(partial).not.toMatch(/\u001b\[48;/);
    expect(lineWith(partial, 'Phone:')).toBe('Phone: (312) 555-0142');
    const surfaceOnly = render(page({ themeSurface: '#eee8d5' }), { color: true, colorLevel: 3 });
    expect(lineWith(surfaceOnly, 'Phone:')).toBe('Phone: (312) 555-0142');
    expect(lineWith(surfaceOnly, 'Account Summary').startsWith(bg24(0xee, 0xe8, 0xd5))).toBe(true);
  });
});

describe('theme colors below 24-bit: the nearest color', () => {
  it('256 colors at level 2', () => {
    const text = render(page(OCEAN), { color: true, colorLevel: 2 });
    expect(text).not.toMatch(/\u001b\[(38|48);2;/);
    // The nearest palette colors (render/terminal-colors.ts): #1f6feb → 26, #2da44e → 35, #bf8700 → 136,
    // the panel surface #eee8d5 → 254 (the header is a panel), black text #000000 → 16.
    expect(text.split('\n')[0]).toContain('\u001b[38;5;26m╔');
    expect(lineWith(text, PAY_NOW)).toContain(`\u001b[1m\u001b[38;5;35m${PAY_NOW}`);
    expect(lineWith(text, 'Amount in Collections')).toContain('\u001b[1m\u001b[38;5;136m$240.00');
    expect(text.startsWith('\u001b[48;5;254m\u001b[38;5;16m')).toBe(true);
  });

  it('16 colors at level 1 (and by default)', () => {
    const text = render(page(OCEAN), { color: true, colorLevel: 1 });
    expect(render(page(OCEAN), { color: true })).toBe(text);
    expect(text).not.toMatch(/\u001b\[(38|48);/);
    // #1f6feb → bright blue (94), #2da44e → green (32), #eee8d5 → bright white ground (107), black text (30).
    expect(text.split('\n')[0]).toContain('\u001b[94m╔');
    expect(lineWith(text, PAY_NOW)).toContain(`\u001b[1m\u001b[32m${PAY_NOW}`);
    expect(text.startsWith('\u001b[107m\u001b[30m')).toBe(true);
    // Every code is a 16-color (or bold/dim/reset) code.
    for (const [code] of text.matchAll(ANSI)) expect(code).toMatch(/^\u001b\[(1|2|22|30|3[1-7]|39|4[0-7]|49|9[0-7]|10[0-7])m$/);
  });
});

describe('escape codes never count toward a width', () => {
  const themes: Partial<PageGroup>[] = [{}, OCEAN, { ...OCEAN, themeDark: true }, { themePrimary: '#ff0000' }, { themeBackground: '#ffffff' }];

  it('stripped of its escapes, every colored view is the uncolored view, at every level and width', () => {
    for (const width of [60, 80, 131]) {
      for (const view of VIEW_NAMES) {
        const plain = renderView(view, page(), { width, color: false });
        for (const theme of themes) {
          for (const colorLevel of [1, 2, 3] as const) {
            const colored = renderView(view, page(theme), { width, color: true, colorLevel });
            expect(strip(colored), `${view} at ${width}, level ${colorLevel}, ${JSON.stringify(theme)}`).toBe(plain);
          }
        }
      }
    }
  });

  it('also with names long enough to wrap', () => {
    const long = { ...page(OCEAN), guarantorName: 'Maria '.repeat(40), group: { ...page(OCEAN).group, name: 'Lakeside '.repeat(30) } };
    expect(strip(render(long, { color: true, colorLevel: 3, width: 60 }))).toBe(render(long, { color: false, width: 60 }));
  });
});

describe('the terminal color level (makeIO)', () => {
  it('comes from COLORTERM and TERM', () => {
    expect(colorLevelOf({ COLORTERM: 'truecolor' })).toBe(3);
    expect(colorLevelOf({ COLORTERM: '24bit', TERM: 'xterm-256color' })).toBe(3);
    expect(colorLevelOf({ TERM: 'xterm-256color' })).toBe(2);
    expect(colorLevelOf({ TERM: 'screen-256color', COLORTERM: '' })).toBe(2);
    expect(colorLevelOf({ TERM: 'xterm' })).toBe(1);
    expect(colorLevelOf({})).toBe(1);
  });

  it('is set only when color is on', () => {
    const io = (stdoutIsTTY: boolean, env: NodeJS.ProcessEnv, noColor = false) =>
      makeIO({
        stdout: new PassThrough(),
        stderr: new PassThrough(),
        stdin: new PassThrough(),
        stdoutIsTTY,
        stderrIsTTY: false,
        stdinIsTTY: false,
        env,
        noColor,
      });
    expect(io(true, { COLORTERM: 'truecolor' })).toMatchObject({ color: true, colorLevel: 3 });
    expect(io(true, { TERM: 'xterm-256color' })).toMatchObject({ color: true, colorLevel: 2 });
    expect(io(true, {})).toMatchObject({ color: true, colorLevel: 1 });
    expect(io(false, { COLORTERM: 'truecolor' }).colorLevel).toBeUndefined();
    expect(io(true, { COLORTERM: 'truecolor', NO_COLOR: '1' }).colorLevel).toBeUndefined();
    expect(io(true, { COLORTERM: 'truecolor' }, true).colorLevel).toBeUndefined();
  });
});

describe('pops preview in a terminal', () => {
  const dump = baseDump({
    groups: [{ name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '(312) 555-0142', themePrimary: '#1F6FEB', themeSurface: '#eee8d5' }],
    accounts: [account('10004', { encounters: [encounter({ lines: [line(1, { billed: '153.00' })] })] })],
  });

  it('paints the group theme at the level the environment names; piped, it paints nothing', async () => {
    const db = await makeStore({ dump });
    const piped = await pops(['--db', db, 'preview', '10004']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toMatch(/\u001b/);
    const terminal = { stdout: true, columns: 80 };

    const truecolor = await pops(['--db', db, 'preview', '10004'], { terminal, env: { COLORTERM: 'truecolor' } });
    expect(truecolor.code, truecolor.stderr).toBe(0);
    expect(truecolor.stdout).toContain(`${fg24(0x1f, 0x6f, 0xeb)}╔`);
    expect(truecolor.stdout.startsWith(bg24(0xee, 0xe8, 0xd5))).toBe(true);
    expect(strip(truecolor.stdout)).toBe(piped.stdout);

    const ansi256 = await pops(['--db', db, 'preview', '10004'], { terminal, env: { TERM: 'xterm-256color' } });
    expect(ansi256.stdout).toContain('\u001b[38;5;26m╔');
    expect(strip(ansi256.stdout)).toBe(piped.stdout);

    const basic = await pops(['--db', db, 'preview', '10004'], { terminal, env: { TERM: 'xterm' } });
    expect(basic.stdout).toContain('\u001b[94m╔');
    expect(basic.stdout).not.toMatch(/\u001b\[(38|48);/);

    const noColor = await pops(['--db', db, 'preview', '10004'], { terminal, env: { COLORTERM: 'truecolor', NO_COLOR: '1' } });
    expect(noColor.stdout).toBe(piped.stdout);
  });
});
