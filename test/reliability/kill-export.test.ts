// SPEC §10 and docs/formats.md "Output files": `pops export --out FILE` writes
// the dump as it reads the store, into a temporary file that is renamed over
// FILE only when complete. A SIGKILL at any moment leaves FILE as it was
// before (missing, or the previous backup) or complete — never half a dump.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStore, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { runKillable } from './child-runs.js';

const KILL_FRACTIONS = [0.2, 0.4, 0.6, 0.8, 0.95];

describe('a kill part-way through pops export --out', () => {
  it('leaves the file missing, the previous backup, or the whole dump (3,000 accounts)', async () => {
    const db = await makeStore({ dump: generateDump(20261202, 3000) });
    const folder = tempDir();
    const full = path.join(folder, 'full.json');
    const complete = await runKillable(['--db', db, 'export', '--out', full]);
    expect(complete, complete.stderr).toMatchObject({ code: 0, signal: null });
    const whole = fs.readFileSync(full);
    expect(whole.length).toBeGreaterThan(5 * 1024 * 1024);

    const outcomes: string[] = [];
    for (const fraction of KILL_FRACTIONS) {
      for (const previous of [undefined, 'the previous backup\n']) {
        const out = path.join(tempDir(), 'backup.json');
        if (previous !== undefined) fs.writeFileSync(out, previous);
        const run = await runKillable(['--db', db, 'export', '--out', out], { afterMs: Math.round(complete.ms * fraction) });
        const found = fs.existsSync(out) ? fs.readFileSync(out) : undefined;
        const label = `killed at ${fraction} (${run.signal ?? 'exited'}), ${previous === undefined ? 'no file before' : 'a backup before'}`;
        if (found !== undefined && found.equals(whole)) outcomes.push(`${label}: complete`);
        else {
          expect(found?.toString('utf8'), `${label}: neither as before nor complete`).toBe(previous);
          outcomes.push(`${label}: as before`);
        }
      }
    }
    // Most kills landed while the dump was being written.
    expect(outcomes.filter((o) => o.includes('SIGKILL') && o.endsWith('as before')).length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
