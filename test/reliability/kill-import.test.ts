// SPEC §10: killing `pops import` (SIGKILL) at any moment leaves the store as
// it was before, or — when the kill lands after the commit — fully imported.
// Never half: every table is compared row by row, the audit log included.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyStore, makeStore, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { storeState, type StoreState } from './store-state.js';
import { runKillable, type KillTrigger } from './child-runs.js';

// Kills spread over a full run as timed on this machine (early ones land while
// starting, parsing or validating; late ones may find it committed), and kills
// once the import has held the store's write lock for a while: those land
// inside its one write transaction whatever the machine's speed. (The WAL's
// size is no such sign: an import that fits in SQLite's page cache writes the
// WAL in one burst at commit.)
const KILL_FRACTIONS = [0.3, 0.6, 0.9, 1.3];
const KILL_LOCK_HELD_MS = [10, 40, 120];

/** What already is in the store before the import: one account, one group (audited). */
const EXISTING = baseDump({
  facilities: [{ code: 'LAKE', name: 'Lakeside Main Clinic' }],
  accounts: [account('L-1', { encounters: [encounter({ number: 1, facility: 'LAKE', lines: [line(1, { billed: '10.00' })] })] })],
});

async function killAtFractions(pristine: string, args: (db: string) => string[]): Promise<string[]> {
  const before = storeState(pristine);
  const complete = copyStore(pristine);
  const full = await runKillable(args(complete));
  expect(full, full.stderr).toMatchObject({ code: 0, signal: null });
  const after = storeState(complete);
  expect(after).not.toEqual(before);

  const outcomes: string[] = [];
  const triggers: KillTrigger[] = [
    ...KILL_FRACTIONS.map((fraction) => ({ afterMs: Math.round(full.ms * fraction) })),
    ...KILL_LOCK_HELD_MS.map((lockHeldMs) => ({ lockHeldMs, db: '' })),
  ];
  for (const trigger of triggers) {
    const db = copyStore(pristine);
    const kill = 'lockHeldMs' in trigger ? { ...trigger, db } : trigger;
    const { signal, lockHeldAtKill } = await runKillable(args(db), kill);
    const state: StoreState = storeState(db);
    const label = `${JSON.stringify('lockHeldMs' in trigger ? { lockHeldMs: trigger.lockHeldMs, lockHeldAtKill } : trigger)}: ${signal ?? 'exited'}`;
    if (state.accounts.length === before.accounts.length && state.audit_log.length === before.audit_log.length) {
      expect(state, `${label}: neither as before nor fully imported`).toEqual(before);
      outcomes.push(`${label}, as before`);
    } else {
      expect(state, `${label}: neither as before nor fully imported`).toEqual(after);
      outcomes.push(`${label}, fully imported`);
    }
    // The store is still a healthy store afterwards.
    expect(fs.existsSync(db)).toBe(true);
  }
  // The kills triggered by the held write lock landed mid-transaction, and rolled back.
  expect(outcomes.filter((o) => o.includes('lockHeldAtKill') && o.endsWith('SIGKILL, as before')).length).toBeGreaterThanOrEqual(2);
  if (process.env.POPS_TEST_VERBOSE) console.log(outcomes.join('\n'));
  return outcomes;
}

describe('a kill part-way through pops import', () => {
  const dump = generateDump(20260807, 4000);
  const file = path.join(tempDir(), 'big.json');
  fs.writeFileSync(file, JSON.stringify(dump));

  it('leaves every table exactly as before or fully imported (4,000 accounts)', async () => {
    const pristine = await makeStore({ dump: EXISTING });
    const outcomes = await killAtFractions(pristine, (db) => ['--db', db, 'import', file]);
    expect(outcomes).toHaveLength(KILL_FRACTIONS.length + KILL_LOCK_HELD_MS.length);
  }, 120_000);

  it('import --replace: the old content or the new, never a mix (audit log included)', async () => {
    const pristine = await makeStore({ dump: EXISTING });
    const outcomes = await killAtFractions(pristine, (db) => ['--db', db, 'import', '--replace', file]);
    expect(outcomes).toHaveLength(KILL_FRACTIONS.length + KILL_LOCK_HELD_MS.length);
  }, 120_000);
});
