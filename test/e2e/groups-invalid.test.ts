// Bad input of every kind to the group commands: exit 2, one clear
// `pops: …` line (and at most a hint), a store byte-for-byte unchanged (SPEC §2, §10).
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStore, pops, storeDigest } from '../helpers/cli.js';

let db: string;
let digest: string;
beforeAll(async () => {
  db = await makeStore({ demo: true });
  digest = storeDigest(db);
});

const set = (...flags: string[]) => ['groups', 'set', 'Lakeside Pediatrics', ...flags];
const create = (...args: string[]) => ['groups', 'create', ...args];

describe.each([
  ['a phone with letters', set('--footer-phone', 'CALL-NOW-PLS'), /^pops: --footer-phone: expected a North American phone number/],
  ['a phone with a 555 area code', set('--footer-phone', '555-555-0142'), /^pops: --footer-phone: not a valid North American phone number: "555-555-0142"/],
  ['a phone too short', set('--footer-phone', '312-555-014'), /^pops: --footer-phone: not a valid North American phone number/],
  ['a phone outside North America', set('--footer-phone', '+44 20 7946 0958'), /^pops: --footer-phone: expected a North American \(\+1\) phone number/],
  [
    'a bad e-mail',
    set('--footer-email', 'billing@lakeside'),
    /^pops: --footer-email: expected an e-mail address such as billing@example\.com, got "billing@lakeside"/,
  ],
  ['a logo URL over http', set('--logo-url', 'http://cdn.example.com/logo.png'), /^pops: --logo-url: expected an https URL/],
  ['a logo URL that is no URL', set('--logo-url', 'logo.png'), /^pops: --logo-url: expected an https URL, got "logo.png"/],
  ['an unknown landing page', set('--landing-page', 'statements'), /^pops: --landing-page: expected home, account or pay, got "statements"/],
  ['an unknown logout function', set('--logout-function', 'logoff'), /^pops: --logout-function: expected close, logout or none, got "logoff"/],
  ['a theme color that is not #rrggbb', set('--theme-primary', 'blue'), /^pops: --theme-primary: expected a color as #rrggbb \(six hex digits\), got "blue"/],
  ['a short theme color', set('--theme-accent', '#fff'), /^pops: --theme-accent: expected a color as #rrggbb/],
  ['a favicon URL over http', set('--favicon-url', 'http://cdn.example.com/favicon.ico'), /^pops: --favicon-url: expected an https URL/],
  ['a home image URL that is no URL', set('--home-asset-url', 'home.png'), /^pops: --home-asset-url: expected an https URL, got "home.png"/],
  ['an on/off v2 setting that is neither', set('--split-payments', 'sometimes'), /^pops: --split-payments: expected on or off/],
  ['on/off that is neither', set('--show-collections', 'maybe'), /^pops: --show-collections: expected on or off/],
  ['an empty on/off', set('--credit-card', ''), /^pops: --credit-card: expected on or off/],
  ['footer text over 500 characters', set('--footer-text', 'x'.repeat(501)), /^pops: --footer-text: text is longer than 500 characters \(501\)/],
  ['footer text with a control character', set('--footer-text', 'Call us\u0007'), /^pops: --footer-text: text contains control characters/],
  ['footer text with an escape sequence', set('--footer-text', '\u001b[31mRED'), /^pops: --footer-text: text contains control characters/],
  ['an empty new name', set('--name', ''), /^pops: --name: group name must not be empty/],
  ['a new name over 80 characters', set('--name', 'x'.repeat(81)), /^pops: --name: group name is longer than 80 characters \(81\)/],
  ['set with no setting', ['groups', 'set', 'Lakeside Pediatrics'], /^pops: nothing to set: give at least one setting flag/],
  ['set with no setting, as a dry run', set('--dry-run'), /^pops: nothing to set/],
  ['an option without its value', set('--show-collections'), /^pops: --show-collections: option needs a value$/m],
  ['an option followed by another option', set('--footer-text', '--dry-run'), /^pops: --footer-text: option needs a value \(--dry-run is an option\)/],
  ['create with an empty name', create(''), /^pops: group name must not be empty/],
  ['create with a blank name', create('   '), /^pops: group name must not be empty/],
  ['create with a name over 80 characters', create('x'.repeat(81)), /^pops: group name is longer than 80 characters/],
  ['create with a control character in the name', create('Lakeside\tEast'), /^pops: group name contains control characters/],
  ['create with an existing name', create('northshore family medicine'), /^pops: a group named "Northshore Family Medicine" already exists/],
  ['create with a bad setting', create('Harbor', '--footer-phone', '12'), /^pops: --footer-phone: /],
  ['create with an option without its value', create('Harbor', '--logo-url'), /^pops: --logo-url: option needs a value$/m],
  [
    'collections neither on nor off',
    ['groups', 'collections', 'Lakeside Pediatrics', 'maybe'],
    /^pops: expected on or off \(also true\/false, yes\/no, 1\/0\), got "maybe"/,
  ],
  ['collections --dry-run without a state', ['groups', 'collections', 'Lakeside Pediatrics', '--dry-run'], /^pops: --dry-run needs a state/],
  [
    'footer-number invalid',
    ['groups', 'footer-number', 'Lakeside Pediatrics', '555-0142'],
    /^pops: not a valid North American phone number|^pops: expected a North American/,
  ],
  [
    'footer-number empty',
    ['groups', 'footer-number', 'Lakeside Pediatrics', ''],
    /^pops: expected a phone number, got an empty value\nTo remove the footer number, use --clear\./,
  ],
  [
    'footer-number with a number and --clear',
    ['groups', 'footer-number', 'Lakeside Pediatrics', '312-555-0142', '--clear'],
    /^pops: give either a number or --clear, not both/,
  ],
  ['edit without a terminal', ['groups', 'edit', 'Lakeside Pediatrics'], /^pops: groups edit asks questions and needs a terminal .*\n.*pops groups set/],
  ['delete of a group in use', ['groups', 'delete', 'Riverbend Orthopedics', '--yes'], /^pops: group "Riverbend Orthopedics" is used by 10 accounts/],
  ['audit --limit 0', ['audit', '--limit', '0'], /^pops: --limit: expected a whole number of at least 1, got "0"/],
  ['audit --limit that is no number', ['audit', '--limit', 'ten'], /^pops: --limit: expected a whole number/],
  ['audit --limit with --all', ['audit', '--limit', '5', '--all'], /^pops: --limit and --all cannot be used together/],
])('%s', async (_what, args, message) => {
  it('exit 2, one clear message, store unchanged', async () => {
    const result = await pops(['--db', db, ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('pops: '))).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(storeDigest(db)).toBe(digest);
  });
});

describe('several bad flags at once', () => {
  it('reports each on its own line, and still writes nothing', async () => {
    const result = await pops(['--db', db, ...set('--footer-phone', 'abc', '--footer-email', 'nobody', '--auto-post', 'sometimes')]);
    expect(result.code).toBe(2);
    expect(
      result.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':').slice(0, 2).join(':')),
    ).toEqual(['pops: --footer-phone', 'pops: --footer-email', 'pops: --auto-post']);
    expect(storeDigest(db)).toBe(digest);
  });
});
