// docs/store.md "Transactions and waiting": every command that reads more than
// once reads inside one read transaction, so its output is one committed state
// of the store. The store's content is replaced back and forth between two
// states while the readers run; each output must equal the reader's output on
// one of the two states, never a mix (an account with another guarantor's
// encounters, one group's settings with another state's counts).
//
// Two ways: another process running `import --replace` in a loop while the
// readers run over and over (what a user would see; whether a replace lands
// mid-read is up to timing), and a commit made on purpose between two of a
// reader's queries, for every pair of queries of every reader (certain).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, makeStore, pops, ROOT, tempDir } from '../helpers/cli.js';
import { GROUPS, generateDump } from '../helpers/account-generator.js';
import { openStore, type DB } from '../../src/store/open.js';
import { importDocument } from '../../src/store/import-run.js';

// Two batches of the account reader (500 accounts a batch), so that `export`
// and the account figures take long enough for a replace to land mid-read.
const ACCOUNT_COUNT = 600;
const MIN_REPLACES = 4;
const MIN_ROUNDS = 5;
const MAX_MS = 20_000;
const BUNDLE = path.join(ROOT, 'dist', 'pops.cjs');

/** State A, and state B: the same account numbers with other guarantors, encounters, groups and settings. */
function twoStates(accountCount: number): { a: Record<string, any>; b: Record<string, any> } {
  const a = generateDump(20_261_301, accountCount);
  const b = generateDump(20_261_302, accountCount);
  b.accounts.forEach((account: any, i: number) => (account.accountNumber = a.accounts[i].accountNumber));
  // Other group settings in B: a groups list that mixed A's groups with B's
  // counts (or the reverse) would equal neither; `doctor` finds something in B only.
  b.groups = GROUPS.map((group) => ({ ...group, footerText: 'State B', showCollections: true }));
  return { a, b };
}

/** The readers, each with what makes its output comparable across replaces. */
interface Reader {
  name: string;
  args: string[];
  normalize?: (stdout: string) => unknown;
  /** Which streams are terminals; when stderr is one, what it says is part of the output. */
  terminal?: { stderr: boolean };
}

function readers(accountNumber: string): Reader[] {
  return [
    { name: 'export', args: ['export'] },
    { name: 'accounts list', args: ['accounts', 'list', '--all', '--json'] },
    // On a terminal the table is followed by the totals over every matching account: a second query.
    { name: 'accounts list (table)', args: ['accounts', 'list', '--sort', 'total', '--limit', '5'], terminal: { stderr: true } },
    // Group ids are not part of a state: a replace may give the same groups new ids.
    {
      name: 'groups list',
      args: ['groups', 'list', '--json'],
      normalize: (stdout) => (JSON.parse(stdout) as Record<string, unknown>[]).map(({ id: _id, ...rest }) => rest),
    },
    {
      name: 'groups show',
      args: ['groups', 'show', 'North Clinic', '--json'],
      normalize: (stdout) => {
        const { id: _id, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
        return rest;
      },
    },
    { name: 'accounts show', args: ['accounts', 'show', accountNumber, '--json'] },
    { name: 'doctor', args: ['doctor', '--json'] },
    { name: 'preview', args: ['preview', accountNumber] },
  ];
}

interface Output {
  code: number;
  stdout: unknown;
  stderr?: string;
}

async function read(db: string, reader: Reader): Promise<Output & { message: string }> {
  const result = await pops(['--db', db, ...reader.args], { terminal: reader.terminal });
  return {
    code: result.code,
    stdout: reader.normalize && result.code <= 1 ? reader.normalize(result.stdout) : result.stdout,
    ...(reader.terminal?.stderr ? { stderr: result.stderr } : {}),
    message: result.stderr,
  };
}

const comparable = ({ message: _message, ...output }: Output & { message: string }): Output => output;

/** What each reader prints on state A and on state B, read with nobody writing. */
async function expectedOutputs(list: Reader[], a: unknown, b: unknown): Promise<Map<string, [Output, Output]>> {
  const storeA = await makeStore({ dump: a });
  const storeB = await makeStore({ dump: b });
  const expected = new Map<string, [Output, Output]>();
  for (const reader of list) {
    const onA = await read(storeA, reader);
    const onB = await read(storeB, reader);
    expect(onA.code, `${reader.name}: ${onA.message}`).toBeLessThanOrEqual(1);
    expect(onB.code, `${reader.name}: ${onB.message}`).toBeLessThanOrEqual(1);
    expect(onA.stdout, `${reader.name} must tell the two states apart`).not.toEqual(onB.stdout);
    expected.set(reader.name, [comparable(onA), comparable(onB)]);
  }
  return expected;
}

/** 'A', 'B', or undefined for a mix of the two. */
function stateOf(output: Output, [onA, onB]: [Output, Output]): 'A' | 'B' | undefined {
  return isEqual(output, onA) ? 'A' : isEqual(output, onB) ? 'B' : undefined;
}

/**
 * Another process that replaces the store's content with B, then A, then B…
 * until `stop()`. It runs the built program's main() over and over in one
 * process (no start-up per run), so replaces come as fast as they can.
 */
function replaceLoop(db: string, files: string[]): { stop(): Promise<number>; replaces(): number } {
  const stopFile = path.join(tempDir(), 'stop');
  const script = `
    const fs = require('node:fs');
    const [bundle, db, stopFile, ...files] = process.argv.slice(1);
    const { main } = require(bundle);
    (async () => {
      for (let i = 0; !fs.existsSync(stopFile); i += 1) {
        const code = await main(['--db', db, 'import', '--replace', files[i % files.length]]);
        if (code !== 0) process.exit(code);
        process.stdout.write('replaced\\n');
      }
    })();`;
  const child = spawn(process.execPath, ['-e', script, BUNDLE, db, stopFile, ...files], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  let count = 0;
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (count += text.split('replaced').length - 1));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    replaces: () => count,
    async stop() {
      fs.writeFileSync(stopFile, '');
      const code = await exited;
      if (code !== 0) throw new Error(`the replace loop failed (exit ${code}): ${stderr}`);
      return count;
    },
  };
}

describe('readers during a concurrent import --replace', () => {
  it('every output is the whole of state A or the whole of state B', async () => {
    const { a, b } = twoStates(ACCOUNT_COUNT);
    const dir = tempDir();
    const fileA = path.join(dir, 'a.json');
    const fileB = path.join(dir, 'b.json');
    fs.writeFileSync(fileA, JSON.stringify(a));
    fs.writeFileSync(fileB, JSON.stringify(b));
    const list = readers(a.accounts[0].accountNumber);
    const expected = await expectedOutputs(list, a, b);

    const db = await makeStore({ dump: a });
    const loop = replaceLoop(db, [fileB, fileA]);
    const mixed: string[] = [];
    const seen = new Map<string, Set<string>>(list.map((reader) => [reader.name, new Set()]));
    const started = Date.now();
    let rounds = 0;
    let replaces: number;
    try {
      while ((rounds < MIN_ROUNDS || loop.replaces() < MIN_REPLACES) && Date.now() - started < MAX_MS) {
        for (const reader of list) {
          const output = await read(db, reader);
          const state = stateOf(comparable(output), expected.get(reader.name)!);
          if (state === undefined) mixed.push(`round ${rounds}: ${reader.name} (exit ${output.code}) ${output.message}`.trim());
          else seen.get(reader.name)!.add(state);
        }
        rounds += 1;
        // In-process runs resolve without yielding to I/O: let the loop's progress reports in.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      replaces = await loop.stop();
    }
    if (process.env.POPS_TEST_VERBOSE) console.log({ rounds, replaces, ms: Date.now() - started, seen });
    expect(mixed, 'outputs that are neither state A nor state B').toEqual([]);
    // The test proves something only if the store really changed under the readers.
    expect(replaces).toBeGreaterThanOrEqual(MIN_REPLACES);
    expect(new Set([...seen.values()].flatMap((states) => [...states])), 'the readers saw both states').toEqual(new Set(['A', 'B']));
  }, 60_000);
});

// better-sqlite3's statements, for the hook below: every query runs through one of these.
const STATEMENT = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<'all' | 'get' | 'iterate', (...args: unknown[]) => unknown>;
const QUERY_METHODS = ['all', 'get', 'iterate'] as const;
const originals = Object.fromEntries(QUERY_METHODS.map((name) => [name, STATEMENT[name]]));
afterEach(() => Object.assign(STATEMENT, originals));

/**
 * Call `afterQuery(n)` after the n-th query (1, 2, …) of any connection but
 * `writer`: a statement's all(), get() or iterate() (PRAGMAs too). Returns a
 * function that reports how many queries ran.
 */
function onEveryQuery(writer: DB, afterQuery: (n: number) => void): () => number {
  let queries = 0;
  for (const name of QUERY_METHODS) {
    const original = originals[name];
    STATEMENT[name] = function (this: { database: DB }, ...args: unknown[]) {
      const result = original.apply(this, args);
      if (this.database !== writer) afterQuery(++queries);
      return result;
    };
  }
  return () => queries;
}

describe('a commit between two queries of a reader', () => {
  // Small states: what matters is where the commit falls, not how much there is to read.
  const COUNT = 40;

  it('never shows in its output, whichever two queries it falls between: the output is one of the two states', async () => {
    const { a, b } = twoStates(COUNT);
    const list = readers(a.accounts[0].accountNumber);
    const expected = await expectedOutputs(list, a, b);
    const db = await makeStore({ dump: a });
    const { db: writer } = openStore(db);
    let current: 'A' | 'B' = 'A';
    /** Another connection replaces the store's content with the other state, and commits. */
    const flip = (): void => {
      current = current === 'A' ? 'B' : 'A';
      importDocument(writer, current === 'A' ? a : b, { replace: true, actor: 'flipper' });
    };
    const mixed: string[] = [];
    let commits = 0;
    try {
      for (const reader of list) {
        // How many queries the reader makes: a commit after each of them but the last.
        const counted = onEveryQuery(writer, () => undefined);
        const plain = await read(db, reader);
        const queries = counted();
        Object.assign(STATEMENT, originals);
        expect(stateOf(comparable(plain), expected.get(reader.name)!), `${reader.name} with nobody writing`).toBe(current);
        for (let after = 1; after < queries; after += 1) {
          const before = current;
          onEveryQuery(writer, (n) => n === after && flip());
          const output = await read(db, reader);
          Object.assign(STATEMENT, originals);
          commits += current === before ? 0 : 1;
          const state = stateOf(comparable(output), expected.get(reader.name)!);
          if (state === undefined) mixed.push(`${reader.name}: a commit after query ${after} of ${queries} (exit ${output.code}) ${output.message}`.trim());
        }
      }
    } finally {
      writer.close();
    }
    expect(mixed, 'outputs that are neither state A nor state B').toEqual([]);
    expect(commits).toBeGreaterThanOrEqual(list.length * 2);
  }, 60_000);
});

function isEqual(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}
