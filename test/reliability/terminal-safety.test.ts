// SPEC §2: every text that came from the store is sanitized before it reaches
// a terminal, a table, a CSV cell or a preview; JSON escapes by its own rules
// (JSON.parse gives the original back). The hostile texts sit in every place
// the store keeps free text: guarantor and patient names, line descriptions,
// agency/facility/provider names (import accepts any characters there), and
// group names, footer texts and audit rows (put in by direct SQL, since
// validation refuses them).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStore, pops, tempDir } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

/** CSI (color, clear screen), OSC title and hyperlink, BEL, C1 CSI and NEL, bidi override and isolate, NUL, DEL, lone CR. */
const HOSTILE =
  'X\u001b[31mred\u001b[2J\u001b]0;title\u0007\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\\u0007\u009b2J\u0085\u202eexe.txt\u2066iso\u2069\u0000\u007f\rZ';
const name = (tag: string): string => `${tag}${HOSTILE}`;

/** What a terminal acts on. CR LF (RFC 4180 CSV rows) is a line break, not an attack. */
function expectNoRawControls(text: string, what: string): void {
  const withoutLineBreaks = text.replace(/\r\n/g, '\n');
  const found = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(withoutLineBreaks);
  expect(
    found,
    `${what}: raw ${JSON.stringify(found?.[0])} at ${found?.index}: ${JSON.stringify(withoutLineBreaks.slice(Math.max(0, (found?.index ?? 0) - 20), (found?.index ?? 0) + 20))}`,
  ).toBeNull();
}

/** Some string inside the parsed JSON contains the hostile text exactly as stored. */
function containsOriginal(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(HOSTILE);
  if (Array.isArray(value)) return value.some(containsOriginal);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsOriginal);
  return false;
}

describe('hostile text from the store never reaches the output raw', () => {
  const dump = baseDump({
    collectionAgencies: [{ code: 'SUMMIT', name: name('Agency') }],
    facilities: [{ code: 'MAIN', name: name('Facility') }],
    providers: [{ code: 'ORTIZ', name: name('Provider') }],
    accounts: [
      account('EVIL-1', {
        guarantor: { firstName: name('First'), lastName: name('Last') },
        patients: [{ id: 'P1', firstName: name('PatientFirst'), lastName: name('PatientLast') }],
        encounters: [
          encounter({
            number: 777_001,
            status: 'collections',
            collectionAgency: 'SUMMIT',
            sentToCollectionsOn: '2026-10-20',
            lines: [line(1, { billed: '100.00' })],
          }),
          encounter({ number: 777_002, serviceDate: '2026-11-02', lines: [{ ...line(1, { billed: '50.00' }), description: name('Description') }] }),
        ],
        statements: [{ date: '2026-10-01', dueDate: '2026-10-25', amountDue: '40.00' }],
      }),
    ],
  });
  let db: string;
  beforeAll(async () => {
    db = await makeStore({ dump });
    // Staff-entered fields refuse control characters, so they are planted directly, as a damaged or foreign store might hold them.
    const sqlite = new Database(db);
    sqlite
      .prepare('UPDATE groups SET name = ?, name_key = lower(?), footer_text = ?, footer_email = ?, show_collections = 1, footer_phone = NULL WHERE id = 1')
      .run(name('Group'), name('Group'), `${name('Footer')}\nsecond line`, name('mail'));
    sqlite
      .prepare(
        `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch) VALUES ('2026-11-01T00:00:00.000Z', ?, 'set', 1, ?, 'footerText', ?, ?, 'b1')`,
      )
      .run(name('Actor'), name('Group'), JSON.stringify(name('From')), JSON.stringify(name('To')));
    sqlite.close();
  });

  const screens: [string, string[]][] = [
    ['accounts list', ['accounts', 'list']],
    ['accounts list --csv', ['accounts', 'list', '--csv']],
    ['accounts show', ['accounts', 'show', 'EVIL-1']],
    ['groups list', ['groups', 'list']],
    ['groups list --csv', ['groups', 'list', '--csv']],
    ['groups show', ['groups', 'show', '1']],
    ['groups export --format csv', ['groups', 'export', '--format', 'csv']],
    ['audit', ['audit']],
    ['audit --csv', ['audit', '--csv']],
    ['doctor', ['doctor']],
    ['preview', ['preview', 'EVIL-1']],
    ['preview --width 60', ['preview', 'EVIL-1', '--width', '60']],
  ];
  for (const [label, args] of screens) {
    it(`${label}: sanitized on stdout and stderr`, async () => {
      const result = await pops(['--db', db, ...args]);
      expect([0, 1], `${label}: ${result.stderr}`).toContain(result.code);
      expect(result.stdout.length).toBeGreaterThan(0);
      expectNoRawControls(result.stdout, `${label} stdout`);
      expectNoRawControls(result.stderr, `${label} stderr`);
      // Something of the hostile text is still shown, neutralized (not silently dropped).
      expect(result.stdout).toContain('\ufffd');
    });
  }

  it('preview --all --out: the snapshot files are sanitized too', async () => {
    const out = path.join(tempDir(), 'snapshots');
    const result = await pops(['--db', db, 'preview', '--all', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expectNoRawControls(result.stderr, 'preview --all stderr');
    const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBe(1);
    for (const file of files) {
      expectNoRawControls(file.name, 'snapshot path');
      expectNoRawControls(fs.readFileSync(path.join(file.parentPath, file.name), 'utf8'), `snapshot ${file.name}`);
    }
  });

  const documents: [string, string[]][] = [
    ['accounts list --json', ['accounts', 'list', '--json']],
    ['accounts show --json', ['accounts', 'show', 'EVIL-1', '--json']],
    ['groups list --json', ['groups', 'list', '--json']],
    ['groups show --json', ['groups', 'show', '1', '--json']],
    ['audit --json', ['audit', '--json']],
    ['export', ['export']],
  ];
  for (const [label, args] of documents) {
    it(`${label}: escaped by JSON's rules, and JSON.parse gives back the original`, async () => {
      const result = await pops(['--db', db, ...args]);
      expect(result.code, result.stderr).toBe(0);
      expectNoRawControls(result.stdout, label);
      expect(containsOriginal(JSON.parse(result.stdout))).toBe(true);
    });
  }

  it('an actor name with control characters is refused, and the message shows it sanitized (the planted one above is shown sanitized)', async () => {
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(db, copy);
    // (A NUL cannot be passed in an argument.)
    const actor = name('Clerk').replace('\u0000', '');
    const refused = await pops(['--db', copy, '--actor', actor, 'groups', 'create', 'Plain Group']);
    expect(refused.code).toBe(2);
    expectNoRawControls(refused.stderr, 'the refusal');
    expect(fs.readFileSync(copy)).toEqual(fs.readFileSync(db));
  });
});

describe('sanitizing never eats the text pops puts between two store values', () => {
  it('a name ending in a C1 CSI keeps the ", " of "Last, First" in the accounts table and CSV', async () => {
    const db = await makeStore({
      dump: baseDump({ accounts: [account('C1-1', { guarantor: { firstName: 'Evil', lastName: 'Name\u009b' } })] }),
    });
    const csv = await pops(['--db', db, 'accounts', 'list', '--csv']);
    expect(csv.stdout).toContain('"Name\ufffd, Evil"');
    const table = await pops(['--db', db, 'accounts', 'list']);
    expect(table.stdout).toContain('Name\ufffd, Evil');
    const show = await pops(['--db', db, 'accounts', 'show', 'C1-1']);
    expect(show.stdout).toContain('Name\ufffd, Evil');
  });
});
