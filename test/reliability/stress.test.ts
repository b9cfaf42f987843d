// A bounded, seeded stress run (docs/reliability.md): group writers
// (`groups set`, `collections`, `footer-number`, `apply`) and readers
// (`groups list --json`, `groups export`) run at once as real processes, and
// some writers are killed (SIGKILL) at random moments. Afterwards nothing may
// be lost or invented:
// - every writer run is one audit batch or none; batches never interleave;
// - each batch is exactly the change its command asked for, measured against
//   the state the batch started from (so a killed writer's change is there
//   fully or not at all, and a writer that exited 0 has every change it
//   printed in the log exactly once);
// - each row's `from` is the value the log's replay holds at that point (no
//   lost update), and replaying the log from the starting state gives the
//   final store's settings;
// - every reader output is the state after some prefix of the batches.
// The seed is fixed (POPS_STRESS_SEED overrides it); timing still varies from
// run to run, which is the point — every outcome is checked, whichever occurs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStore, pops, tempDir } from '../helpers/cli.js';
import { seededRandom } from '../helpers/account-generator.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { runKillable, type ChildRun } from './child-runs.js';

const SEED = Number(process.env.POPS_STRESS_SEED ?? 20_261_313);
const ROUNDS = 12;
const WRITERS_PER_ROUND = 5;
const READERS_PER_ROUND = 2;
/** Stop starting rounds after this long (a slow machine runs fewer rounds, never a longer test). */
const BUDGET_MS = 25_000;
const KILL_CHANCE = 0.35;
/**
 * A kill lands at a fraction of how long a writer run takes on this machine
 * (the median of the runs so far): from early start-up to just after most
 * runs have committed, whatever the machine's speed.
 */
const KILL_FRACTIONS: [number, number] = [0.3, 1.2];
/** Short waits for the write lock: some writers give up with exit 4 "store is busy", which is fine. */
const ENV = { POPS_BUSY_TIMEOUT_MS: '400' };

const GROUP_NAMES = ['Clinic Alder', 'Clinic Birch', 'Clinic Cedar', 'Clinic Dogwood', 'Clinic Elm'];

/** Each setting the writers change: its flag, and each value as typed and as the audit log and export hold it. */
const SETTINGS: Record<string, { flag: string; values: [string, unknown][] }> = {
  showCollections: {
    flag: '--show-collections',
    values: [
      ['on', true],
      ['off', false],
    ],
  },
  footerPhone: {
    flag: '--footer-phone',
    values: [
      ['312-555-0142', '+13125550142'],
      ['(773) 555-0188 x12', '+17735550188;ext=12'],
      ['', null],
    ],
  },
  footerText: {
    flag: '--footer-text',
    values: [
      ['Closed Mondays', 'Closed Mondays'],
      ['Call the billing office', 'Call the billing office'],
      ['', null],
    ],
  },
  applePay: {
    flag: '--apple-pay',
    values: [
      ['on', true],
      ['off', false],
    ],
  },
  autoPost: {
    flag: '--auto-post',
    values: [
      ['on', true],
      ['off', false],
    ],
  },
  landingPage: {
    flag: '--landing-page',
    values: [
      ['home', 'home'],
      ['account', 'account'],
    ],
  },
};

interface Wanted {
  group: string;
  field: string;
  /** As the audit log holds it. */
  to: unknown;
}

interface Writer {
  actor: string;
  kind: 'set' | 'collections' | 'footer-number' | 'apply';
  args: string[];
  wanted: Wanted[];
  /** SIGKILL after this fraction of a typical run's time. */
  killAt?: number;
}

interface AuditRow {
  actor: string;
  action: string;
  group: string;
  field: string | null;
  from: unknown;
  to: unknown;
  batch: string;
}

type Settings = Record<string, Record<string, unknown>>;

/** Writer runs chosen by the seed. */
function planWriters(random: () => number, dir: string, count: number, first: number): Writer[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const fields = Object.keys(SETTINGS);
  const distinct = <T>(items: readonly T[], n: number): T[] => [...items].sort(() => random() - 0.5).slice(0, n);
  const writers: Writer[] = [];
  for (let i = 0; i < count; i += 1) {
    const actor = `writer-${first + i}`;
    const group = pick(GROUP_NAMES);
    const kind = pick(['set', 'set', 'collections', 'footer-number', 'apply', 'apply'] as const);
    let writer: Writer;
    if (kind === 'set') {
      const chosen = distinct(fields, 1 + Math.floor(random() * 3)).map((field) => ({ field, value: pick(SETTINGS[field].values) }));
      writer = {
        actor,
        kind,
        args: ['groups', 'set', group, ...chosen.flatMap(({ field, value }) => [SETTINGS[field].flag, value[0]])],
        wanted: chosen.map(({ field, value }) => ({ group, field, to: value[1] })),
      };
    } else if (kind === 'collections') {
      const [typed, value] = pick(SETTINGS.showCollections.values);
      writer = { actor, kind, args: ['groups', 'collections', group, typed], wanted: [{ group, field: 'showCollections', to: value }] };
    } else if (kind === 'footer-number') {
      const [typed, value] = pick(SETTINGS.footerPhone.values);
      writer = {
        actor,
        kind,
        args: ['groups', 'footer-number', group, ...(value === null ? ['--clear'] : [typed])],
        wanted: [{ group, field: 'footerPhone', to: value }],
      };
    } else {
      const entries = distinct(GROUP_NAMES, 1 + Math.floor(random() * 3)).map((name) => {
        const chosen = distinct(fields, 1 + Math.floor(random() * 3)).map((field) => ({ field, value: pick(SETTINGS[field].values) }));
        return { name, chosen };
      });
      const file = path.join(dir, `${actor}.json`);
      const document = entries.map(({ name, chosen }) => ({
        name,
        ...Object.fromEntries(chosen.map(({ field, value }) => [field, typeof value[1] === 'boolean' || value[1] === null ? value[1] : value[0]])),
      }));
      fs.writeFileSync(file, JSON.stringify({ groups: document }));
      writer = {
        actor,
        kind,
        args: ['groups', 'apply', file, '--json'],
        wanted: entries.flatMap(({ name, chosen }) => chosen.map(({ field, value }) => ({ group: name, field, to: value[1] }))),
      };
    }
    if (random() < KILL_CHANCE) writer.killAt = KILL_FRACTIONS[0] + random() * (KILL_FRACTIONS[1] - KILL_FRACTIONS[0]);
    writers.push(writer);
  }
  return writers;
}

/** The settings of every group, as `groups export` writes them (the audit log's value forms). */
async function exportedSettings(db: string): Promise<Settings> {
  const result = await pops(['--db', db, 'groups', 'export']);
  expect(result.code, result.stderr).toBe(0);
  return settingsOf(result.stdout);
}

function settingsOf(exportText: string): Settings {
  const groups = (JSON.parse(exportText) as { groups: Record<string, unknown>[] }).groups;
  return Object.fromEntries(groups.map(({ name, ...settings }) => [name as string, settings]));
}

/** `groups list --json` as a state would show it (ids and counts do not change in this run). */
function listView(state: Settings, fixed: Map<string, Record<string, unknown>>): unknown {
  return [...fixed.entries()].map(([name, row]) => ({ ...row, showCollections: state[name].showCollections, footerPhone: state[name].footerPhone }));
}

const key = (x: { group: string; field: string | null }): string => `${x.group}\u0000${x.field}`;
const sortedChanges = (items: { group: string; field: string | null; from?: unknown; to: unknown }[]): string[] =>
  items.map((c) => JSON.stringify([c.group, c.field, c.from, c.to])).sort();

describe('stress: concurrent writers, readers and kills', () => {
  it(`loses and invents nothing (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const db = await makeStore({
      dump: baseDump({
        groups: GROUP_NAMES.map((name, i) => ({ name, showCollections: i % 2 === 0, footerPhone: i === 1 ? '312-555-0100' : undefined })),
        accounts: GROUP_NAMES.flatMap((group, i) =>
          Array.from({ length: i + 1 }, (_, k) =>
            account(`S${i}-${k}`, {
              group,
              encounters:
                k % 2 === 0
                  ? [encounter({ status: 'collections', collectionAgency: 'SUMMIT', sentToCollectionsOn: '2026-10-01', lines: [line(1, { billed: '25.00' })] })]
                  : [],
            }),
          ),
        ),
      }),
    });
    const dir = tempDir();
    // How long a writer run takes here: one run alone to start with (it changes nothing),
    // then the median of those that finished.
    const calibration = await runKillable(['--db', db, 'groups', 'set', GROUP_NAMES[0], '--footer-email', ''], undefined, ENV);
    expect(calibration.code, calibration.stderr).toBe(0);
    const start = await exportedSettings(db);
    const auditBefore = JSON.parse((await pops(['--db', db, 'audit', '--all', '--json'])).stdout).length as number;
    const initialList = await pops(['--db', db, 'groups', 'list', '--json']);
    const fixed = new Map<string, Record<string, unknown>>(
      (JSON.parse(initialList.stdout) as Record<string, unknown>[]).map((row) => [row.name as string, row]),
    );

    const writers: (Writer & { run: ChildRun })[] = [];
    const reads: { args: string[]; run: ChildRun }[] = [];
    const typicalMs = (): number => {
      const finished = [calibration, ...writers.map((w) => w.run)].filter((run) => run.signal === null).map((run) => run.ms);
      return finished.sort((x, y) => x - y)[Math.floor(finished.length / 2)];
    };
    const started = Date.now();
    for (let round = 0; round < ROUNDS && Date.now() - started < BUDGET_MS; round += 1) {
      const planned = planWriters(random, dir, WRITERS_PER_ROUND, writers.length);
      const runMs = typicalMs();
      const readerArgs = Array.from({ length: READERS_PER_ROUND }, (_, i) => (i % 2 === 0 ? ['groups', 'list', '--json'] : ['groups', 'export']));
      const [writerRuns, readerRuns] = await Promise.all([
        Promise.all(
          planned.map((w) =>
            runKillable(['--db', db, '--actor', w.actor, ...w.args], w.killAt === undefined ? undefined : { afterMs: Math.round(w.killAt * runMs) }, ENV),
          ),
        ),
        Promise.all(readerArgs.map((args) => runKillable(['--db', db, ...args], undefined, ENV))),
      ]);
      planned.forEach((w, i) => writers.push({ ...w, run: writerRuns[i] }));
      readerArgs.forEach((args, i) => reads.push({ args, run: readerRuns[i] }));
    }
    const label = (w: Writer & { run: ChildRun }): string =>
      `seed ${SEED}, ${w.actor} (${w.args.join(' ')}): ${w.run.signal ?? `exit ${w.run.code}`} ${w.run.stderr}`.trim();

    // Every process ended as a pops process may: done, busy (exit 4), or killed. Never a crash.
    for (const w of writers) {
      if (w.run.signal !== null) expect(w.run.signal, label(w)).toBe('SIGKILL');
      else expect([0, 4], label(w)).toContain(w.run.code);
      if (w.run.code === 4) expect(w.run.stderr, label(w)).toMatch(/^pops: store is busy/);
      expect(w.run.stderr, label(w)).not.toMatch(/internal error|\n\s+at /);
    }
    for (const r of reads) expect(r.run.code, `${r.args.join(' ')}: ${r.run.stderr}`).toBe(0);

    // The log, oldest first, from the start of the run.
    const log = (JSON.parse((await pops(['--db', db, 'audit', '--all', '--json'])).stdout) as AuditRow[]).reverse().slice(auditBefore);
    const batches: AuditRow[][] = [];
    for (const row of log) {
      if (batches.length > 0 && batches.at(-1)![0].batch === row.batch) batches.at(-1)!.push(row);
      else batches.push([row]);
    }
    // Batches never interleave, each belongs to one writer run, and no run has two.
    expect(new Set(batches.map((b) => b[0].batch)).size, `seed ${SEED}: interleaved batches`).toBe(batches.length);
    for (const batch of batches) expect(new Set(batch.map((row) => row.actor)).size).toBe(1);
    const batchOf = new Map(batches.map((batch) => [batch[0].actor, batch]));
    expect(batchOf.size, `seed ${SEED}: a writer run with two batches`).toBe(batches.length);

    // Replay: each row starts from the value the replay holds, and each batch is exactly what its command asked for.
    const byActor = new Map(writers.map((w) => [w.actor, w]));
    const state: Settings = structuredClone(start);
    const states: Settings[] = [structuredClone(state)];
    for (const batch of batches) {
      const writer = byActor.get(batch[0].actor);
      expect(writer, `seed ${SEED}: a batch by ${batch[0].actor}, who is no writer of this run`).toBeDefined();
      const asked = writer!.wanted.filter((w) => state[w.group][w.field] !== w.to).map((w) => ({ ...w, from: state[w.group][w.field] }));
      expect(sortedChanges(batch), `${label(writer! as Writer & { run: ChildRun })}: its batch is not the change it asked for`).toEqual(sortedChanges(asked));
      expect(new Set(batch.map(key)).size, 'a change twice in one batch').toBe(batch.length);
      for (const row of batch) {
        expect(row.action).toBe('set');
        expect(row.from, `seed ${SEED}: ${row.actor} ${row.group} ${row.field}: a lost update`).toEqual(state[row.group][row.field!]);
        state[row.group][row.field!] = row.to;
      }
      states.push(structuredClone(state));
    }
    expect(await exportedSettings(db), `seed ${SEED}: replaying the log does not give the final store`).toEqual(state);

    // A writer that exited 0 printed its changes; each is in the log exactly once (in its one batch).
    for (const w of writers.filter((x) => x.run.code === 0)) {
      const batch = batchOf.get(w.actor) ?? [];
      if (w.kind === 'apply') {
        const plan = JSON.parse(w.run.stdout) as { changed: { group: string; changes: { field: string; from: unknown; to: unknown }[] }[] };
        const printed = plan.changed.flatMap(({ group, changes }) => changes.map((c) => ({ group, ...c })));
        expect(sortedChanges(batch), label(w)).toEqual(sortedChanges(printed));
      } else {
        const printed = w.run.stdout
          .split('\n')
          .map((text) => /^(\w+): .* → .*$/.exec(text)?.[1])
          .filter((field): field is string => field !== undefined);
        expect(batch.map((row) => row.field).sort(), label(w)).toEqual(printed.sort());
        if (printed.length === 0) expect(w.run.stdout, label(w)).toMatch(/^no changes$/m);
      }
    }
    // A writer that gave up (busy) wrote nothing.
    for (const w of writers.filter((x) => x.run.code === 4)) expect(batchOf.has(w.actor), label(w)).toBe(false);

    // Every reader saw one committed state: the state after some prefix of the batches.
    const exports = states.map((s) => JSON.stringify(s));
    const lists = states.map((s) => JSON.stringify(listView(s, fixed)));
    for (const r of reads) {
      if (r.args[1] === 'export') expect(exports, `${r.args.join(' ')} saw no committed state`).toContain(JSON.stringify(settingsOf(r.run.stdout)));
      else expect(lists, `${r.args.join(' ')} saw no committed state`).toContain(JSON.stringify(JSON.parse(r.run.stdout)));
    }

    // The store is healthy afterwards.
    const doctor = await pops(['--db', db, 'doctor', '--json']);
    expect((JSON.parse(doctor.stdout) as { kind: string }[]).filter((f) => f.kind !== 'config')).toEqual([]);

    // The run exercised what it claims to: commits, kills, and readers.
    const outcome = (w: Writer & { run: ChildRun }): string =>
      w.run.signal ? (batchOf.has(w.actor) ? 'killed after commit' : 'killed') : w.run.code === 4 ? 'busy' : batchOf.has(w.actor) ? 'committed' : 'no changes';
    const tally = writers.reduce<Record<string, number>>((counts, w) => ({ ...counts, [outcome(w)]: (counts[outcome(w)] ?? 0) + 1 }), {});
    if (process.env.POPS_TEST_VERBOSE)
      console.log(JSON.stringify({ seed: SEED, rounds: writers.length / WRITERS_PER_ROUND, ms: Date.now() - started, batches: batches.length, tally }));
    expect(batches.length).toBeGreaterThanOrEqual(5);
    expect(writers.filter((w) => w.run.signal === 'SIGKILL').length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
