// The validators every staff-entered group value passes through (SPEC §4),
// driven by the settings catalogue.
import { describe, expect, it } from 'vitest';
import { GROUP_SETTINGS, SETTINGS_BY_KEY, type SettingDef } from '../../src/domain/group-settings.js';
import { parseGroupName, parseSettingJson, parseSettingText } from '../../src/domain/group-validate.js';

const setting = (key: string): SettingDef => SETTINGS_BY_KEY.get(key)!;

/** The nine theme colors of the v2 settings table, in its order. */
const THEME_COLORS = [
  'themeBackground',
  'themeSurface',
  'themePrimary',
  'themeSecondary',
  'themeAccent',
  'themeInfo',
  'themeSuccess',
  'themeError',
  'themeWarning',
];

describe('on/off settings', () => {
  const bools = GROUP_SETTINGS.filter((s) => s.kind === 'bool');

  it('are the on/off rows of the v1 and v2 settings tables', () => {
    expect(bools.map((s) => s.key)).toEqual([
      'showCollections',
      'accountDashboard',
      'includeNewCharges',
      'creditCard',
      'applePay',
      'googlePay',
      'storePaymentMethods',
      'autoPost',
      'requireCvv',
      'showCurrentBalance',
      'showEscrow',
      'emailReceipts',
      'splitPayments',
      'themeDark',
    ]);
    expect(bools.filter((s) => s.default === true).map((s) => s.key)).toEqual([
      'accountDashboard',
      'creditCard',
      'requireCvv',
      'showCurrentBalance',
      'showEscrow',
    ]);
  });

  it.each(['on', 'true', 'yes', '1', 'ON', ' Yes '])('accept %j as on', (word) => {
    for (const s of bools) expect(parseSettingText(s, word)).toEqual({ ok: true, value: true });
  });

  it.each(['off', 'false', 'no', '0', 'Off'])('accept %j as off', (word) => {
    for (const s of bools) expect(parseSettingText(s, word)).toEqual({ ok: true, value: false });
  });

  it.each(['', 'maybe', 'onn', '2'])('reject %j, which is neither', (word) => {
    const result = parseSettingText(setting('showCollections'), word);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/expected on or off/) });
  });

  it('take JSON booleans', () => {
    expect(parseSettingJson(setting('autoPost'), true)).toEqual({ ok: true, value: true });
    expect(parseSettingJson(setting('autoPost'), null).ok).toBe(false);
    expect(parseSettingJson(setting('autoPost'), 1).ok).toBe(false);
  });
});

describe('nullable settings', () => {
  it('are cleared by an empty value, as the SPEC says', () => {
    for (const s of GROUP_SETTINGS.filter((d) => d.nullable)) {
      expect(parseSettingText(s, '')).toEqual({ ok: true, value: null });
      expect(parseSettingJson(s, null)).toEqual({ ok: true, value: null });
    }
  });

  it('are the footer, the image addresses and the theme colors, all defaulting to null', () => {
    expect(GROUP_SETTINGS.filter((s) => s.nullable).map((s) => s.key)).toEqual([
      'footerPhone',
      'footerEmail',
      'footerText',
      'logoUrl',
      'faviconUrl',
      'homeAssetUrl',
      ...THEME_COLORS,
    ]);
    expect(GROUP_SETTINGS.filter((s) => s.nullable).every((s) => s.default === null)).toBe(true);
  });
});

describe('footer number', () => {
  it('normalizes any common spelling to E.164', () => {
    expect(parseSettingText(setting('footerPhone'), '(312) 555-0142')).toEqual({ ok: true, value: '+13125550142' });
    expect(parseSettingText(setting('footerPhone'), '312.555.0142 x12')).toEqual({ ok: true, value: '+13125550142;ext=12' });
  });

  it.each([
    ['letters', 'CALL-US'],
    ['a 555 area code', '555-555-0142'],
    ['too short', '312-555-01'],
    ['outside North America', '+44 20 7946 0958'],
  ])('rejects %s', (_what, raw) => {
    expect(parseSettingText(setting('footerPhone'), raw).ok).toBe(false);
  });
});

describe('footer email', () => {
  it('accepts an address with a dotted domain', () => {
    expect(parseSettingText(setting('footerEmail'), ' billing@lakeside.example.com ')).toEqual({ ok: true, value: 'billing@lakeside.example.com' });
  });

  it.each(['billing', 'billing@lakeside', 'billing@@x.com', 'a b@x.com', 'billing@x.c'])('rejects %j', (raw) => {
    expect(parseSettingText(setting('footerEmail'), raw)).toMatchObject({ ok: false, message: expect.stringMatching(/e-mail/) });
  });
});

describe('footer text', () => {
  it('keeps newlines and allows 500 characters', () => {
    expect(parseSettingText(setting('footerText'), 'Line one\r\nLine two')).toEqual({ ok: true, value: 'Line one\nLine two' });
    expect(parseSettingText(setting('footerText'), 'x'.repeat(500)).ok).toBe(true);
  });

  it('rejects 501 characters', () => {
    expect(parseSettingText(setting('footerText'), 'x'.repeat(501))).toMatchObject({ ok: false, message: expect.stringMatching(/longer than 500/) });
  });

  it.each([
    ['a bell', 'Hi\u0007'],
    ['an escape sequence', '\u001b[31mred'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
  ])('rejects %s', (_what, raw) => {
    expect(parseSettingText(setting('footerText'), raw)).toMatchObject({ ok: false, message: expect.stringMatching(/control characters/) });
  });
});

describe('logo URL', () => {
  it('accepts an https URL', () => {
    expect(parseSettingText(setting('logoUrl'), 'https://cdn.example.com/logo.png')).toEqual({ ok: true, value: 'https://cdn.example.com/logo.png' });
  });

  it.each(['http://cdn.example.com/logo.png', 'ftp://x.example.com/a', 'logo.png', 'javascript:alert(1)', 'https://'])('rejects %j', (raw) => {
    expect(parseSettingText(setting('logoUrl'), raw)).toMatchObject({ ok: false, message: expect.stringMatching(/https URL/) });
  });
});

describe('landing page', () => {
  it('is home, account or pay', () => {
    expect(parseSettingText(setting('landingPage'), 'Account')).toEqual({ ok: true, value: 'account' });
    expect(parseSettingText(setting('landingPage'), 'home')).toEqual({ ok: true, value: 'home' });
    expect(parseSettingText(setting('landingPage'), ' PAY ')).toEqual({ ok: true, value: 'pay' });
  });

  it.each(['', 'dashboard', 'statements', 'quickpay'])('rejects %j', (raw) => {
    expect(parseSettingText(setting('landingPage'), raw)).toMatchObject({ ok: false, message: expect.stringMatching(/home, account or pay, got/) });
  });
});

describe('logout function', () => {
  it('is close, logout or none, any case', () => {
    for (const word of ['close', 'logout', 'none']) expect(parseSettingText(setting('logoutFunction'), word.toUpperCase())).toEqual({ ok: true, value: word });
    expect(parseSettingJson(setting('logoutFunction'), 'none')).toEqual({ ok: true, value: 'none' });
  });

  it.each(['', 'log out', 'exit', 'null'])('rejects %j', (raw) => {
    expect(parseSettingText(setting('logoutFunction'), raw)).toMatchObject({ ok: false, message: expect.stringMatching(/close, logout or none, got/) });
  });

  it('may not be cleared (it is not optional)', () => {
    expect(parseSettingJson(setting('logoutFunction'), null).ok).toBe(false);
  });
});

describe('theme colors', () => {
  const colors = GROUP_SETTINGS.filter((s) => s.kind === 'color');

  it('are the nine theme colors', () => {
    expect(colors.map((s) => s.key)).toEqual(THEME_COLORS);
  });

  it('take #rrggbb in any case and keep it in lower case', () => {
    for (const s of colors) {
      expect(parseSettingText(s, '#1A73E8')).toEqual({ ok: true, value: '#1a73e8' });
      expect(parseSettingJson(s, ' #00ff7f ')).toEqual({ ok: true, value: '#00ff7f' });
      expect(parseSettingText(s, '')).toEqual({ ok: true, value: null });
    }
  });

  it.each(['1a73e8', '#1a73e', '#1a73e80', '#gg0000', 'blue', 'rgb(0,0,0)', '#fff'])('rejects %j', (raw) => {
    expect(parseSettingText(setting('themePrimary'), raw)).toMatchObject({ ok: false, message: expect.stringMatching(/#rrggbb/) });
  });
});

describe('group names', () => {
  it('are trimmed and may hold any printable text, SQL-looking included', () => {
    expect(parseGroupName('  Lakeside Pediatrics ')).toEqual({ ok: true, value: 'Lakeside Pediatrics' });
    expect(parseGroupName("x'); DROP TABLE groups;--")).toEqual({ ok: true, value: "x'); DROP TABLE groups;--" });
    expect(parseGroupName('é'.repeat(80)).ok).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['over 80 characters', 'x'.repeat(81)],
    ['with a newline', 'Lakeside\nPediatrics'],
    ['with an escape', 'Lakeside\u001b[2J'],
  ])('rejects a name %s', (_what, raw) => {
    expect(parseGroupName(raw).ok).toBe(false);
  });
});
