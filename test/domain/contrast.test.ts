// WCAG 2.x contrast (docs/portal.md, "Theme colors"): relative luminance,
// contrast ratios of known pairs, and the theme grounds `pops doctor` reports.
import { describe, expect, it } from 'vitest';
import { contrastRatio, formatContrast, lowContrastGrounds, parseHexColor, relativeLuminance, type Rgb } from '../../src/domain/contrast.js';

const rgb = (hex: string): Rgb => {
  const color = parseHexColor(hex);
  if (color === null) throw new Error(`not a color: ${hex}`);
  return color;
};
const ratio = (a: string, b: string) => contrastRatio(rgb(a), rgb(b));

describe('parseHexColor', () => {
  it('reads #rrggbb in any case', () => {
    expect(parseHexColor('#1F6feb')).toEqual({ r: 0x1f, g: 0x6f, b: 0xeb });
  });

  it('refuses anything else', () => {
    for (const text of ['', '#fff', '1f6feb', '#1f6febff', '#gggggg', ' #1f6feb']) expect(parseHexColor(text), text).toBeNull();
  });
});

describe('relative luminance (sRGB, WCAG 2.x)', () => {
  it('is 0 for black and 1 for white', () => {
    expect(relativeLuminance(rgb('#000000'))).toBe(0);
    expect(relativeLuminance(rgb('#ffffff'))).toBeCloseTo(1, 12);
  });

  it('weighs green most and blue least', () => {
    expect(relativeLuminance(rgb('#ff0000'))).toBeCloseTo(0.2126, 12);
    expect(relativeLuminance(rgb('#00ff00'))).toBeCloseTo(0.7152, 12);
    expect(relativeLuminance(rgb('#0000ff'))).toBeCloseTo(0.0722, 12);
  });

  it('is linear below the 0.03928 threshold and a 2.4 power above it', () => {
    // 10/255 = 0.0392… is below the threshold: c / 12.92.
    expect(relativeLuminance(rgb('#0a0a0a'))).toBeCloseTo(10 / 255 / 12.92, 12);
    // 11/255 = 0.0431… is above it: ((c + 0.055) / 1.055) ^ 2.4.
    expect(relativeLuminance(rgb('#0b0b0b'))).toBeCloseTo(((11 / 255 + 0.055) / 1.055) ** 2.4, 12);
    // Mid grey: 0.2158…, not the 0.5 of a naive average.
    expect(relativeLuminance(rgb('#808080'))).toBeCloseTo(0.2158605, 6);
  });
});

describe('contrast ratio', () => {
  it('matches known pairs', () => {
    expect(ratio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(ratio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(ratio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(ratio('#ff0000', '#ffffff')).toBeCloseTo(4.0, 2);
    expect(ratio('#0000ff', '#ffffff')).toBeCloseTo(8.59, 2);
    expect(ratio('#808080', '#000000')).toBeCloseTo(5.32, 2);
  });

  it('is the same either way round, and 1:1 for one color', () => {
    expect(ratio('#ffffff', '#777777')).toBe(ratio('#777777', '#ffffff'));
    expect(ratio('#3a7bd5', '#3a7bd5')).toBe(1);
  });

  it('puts #767676 just above WCAG AA on white and #777777 just below it', () => {
    expect(ratio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio('#777777', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('formatContrast', () => {
  it('rounds down to one decimal, so a failing ratio never reads 4.5:1', () => {
    expect(formatContrast(ratio('#777777', '#ffffff'))).toBe('4.4:1');
    expect(formatContrast(ratio('#767676', '#ffffff'))).toBe('4.5:1');
    expect(formatContrast(ratio('#000000', '#ffffff'))).toBe('21.0:1');
    expect(formatContrast(1)).toBe('1.0:1');
  });
});

describe('lowContrastGrounds', () => {
  const theme = (fields: Partial<Parameters<typeof lowContrastGrounds>[0]>) => ({
    themeBackground: null,
    themeSurface: null,
    themeDark: false,
    ...fields,
  });

  it('checks dark text (#000000) on the background and the surface, each when set', () => {
    expect(lowContrastGrounds(theme({}))).toEqual([]);
    expect(lowContrastGrounds(theme({ themeBackground: '#ffffff', themeSurface: '#f5f5f5' }))).toEqual([]);
    const found = lowContrastGrounds(theme({ themeBackground: '#333333', themeSurface: '#222222' }));
    expect(found.map((f) => [f.setting, f.color, f.textColor])).toEqual([
      ['themeBackground', '#333333', '#000000'],
      ['themeSurface', '#222222', '#000000'],
    ]);
    expect(found[0].ratio).toBeCloseTo(ratio('#333333', '#000000'), 12);
  });

  it('checks light text (#ffffff) with themeDark', () => {
    expect(lowContrastGrounds(theme({ themeDark: true, themeBackground: '#121212', themeSurface: '#1e1e1e' }))).toEqual([]);
    const found = lowContrastGrounds(theme({ themeDark: true, themeBackground: '#121212', themeSurface: '#777777' }));
    expect(found).toEqual([{ setting: 'themeSurface', color: '#777777', textColor: '#ffffff', ratio: ratio('#777777', '#ffffff') }]);
  });

  it('holds the line at 4.5:1', () => {
    // #767676 and #777777 are just either side of 4.5:1 against white.
    expect(lowContrastGrounds(theme({ themeDark: true, themeBackground: '#767676' }))).toEqual([]);
    expect(lowContrastGrounds(theme({ themeDark: true, themeBackground: '#777777' }))).toHaveLength(1);
  });
});
