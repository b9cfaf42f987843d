// Theme colors on a 256-color terminal (docs/portal.md, "Theme colors"): the
// nearest color of the palette's cube and grays, as a person would pick it.
import { describe, expect, it } from 'vitest';
import { nearest256 } from '../../src/render/terminal-colors.js';

describe('nearest256', () => {
  it('finds the exact palette color when there is one', () => {
    expect(nearest256('#000000')).toBe(16);
    expect(nearest256('#ffffff')).toBe(231);
    expect(nearest256('#005f87')).toBe(24);
    expect(nearest256('#af5f00')).toBe(130);
    expect(nearest256('#808080')).toBe(244);
  });

  it('picks the palette color that looks nearest, not the one an even spacing of the palette suggests', () => {
    // The demo's Riverbend theme: primary, warning and accent.
    expect(nearest256('#0b5394')).toBe(24); // #005f87, not the teal 31 (#0087af)
    expect(nearest256('#b45f06')).toBe(130); // #af5f00, almost exact
    expect(nearest256('#e69138')).toBe(173); // #d7875f
  });

  it('takes a near-white cream for a light gray or cream, never a pink', () => {
    expect([254, 230]).toContain(nearest256('#eee8d5'));
    expect(nearest256('#eee8d5')).not.toBe(224);
  });

  it('never answers with one of the 16 colors each terminal draws its own way', () => {
    for (const hex of ['#ff0000', '#00ff00', '#0000ff', '#cd0000', '#e5e5e5']) expect(nearest256(hex)).toBeGreaterThanOrEqual(16);
  });
});
