// npm run bench [-- --accounts 100000 --runs 7 --scale --only startup,accounts,preview,apply]
//
// Prints each SPEC §9 figure as a ratio of medians of alternating runs of both
// sides, measured side by side in this run, with the raw medians beside it.
// Nothing is cached between runs: stores are generated afresh in bench/.data/.
// Before every timed run of either side the disk is flushed (`sync`), so one
// side never pays for the other's buffered writes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(root, 'bin', 'pops.js');
const data = path.join(root, 'bench', '.data');

const FIGURES = ['startup', 'accounts', 'preview', 'apply'];
const options = { accounts: 100_000, runs: 7, scale: false, only: FIGURES };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 1) {
  if (argv[i] === '--accounts') options.accounts = Number(argv[(i += 1)]);
  else if (argv[i] === '--runs') options.runs = Number(argv[(i += 1)]);
  else if (argv[i] === '--scale') options.scale = true;
  else if (argv[i] === '--only') options.only = String(argv[(i += 1)]).split(',');
  else {
    console.error(`unknown option ${argv[i]}; usage: npm run bench -- [--accounts N] [--runs N] [--scale] [--only ${FIGURES.join(',')}]`);
    process.exit(2);
  }
}
for (const figure of options.only) {
  if (!FIGURES.includes(figure)) {
    console.error(`unknown figure ${figure} for --only; expected some of ${FIGURES.join(',')}`);
    process.exit(2);
  }
}
const wanted = (figure) => options.only.includes(figure);

const sqlite3 = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
if (sqlite3.error) {
  console.error('The benchmark compares with the sqlite3 command-line shell, which is not installed.');
  console.error('Install it with: apt-get update && apt-get install -y sqlite3');
  process.exit(2);
}
const gnuTime = fs.existsSync('/usr/bin/time');

const log = (text) => process.stderr.write(`${text}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Wall time in ms of one run; the command's output goes to a file or /dev/null, as a user's pipe would. */
function timed(command, args, { input, stdout = 'ignore', env } = {}) {
  spawnSync('sync');
  const out = stdout === 'ignore' ? 'ignore' : fs.openSync(stdout, 'w');
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { input, stdio: [input === undefined ? 'ignore' : 'pipe', out, 'pipe'], env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (typeof out === 'number') fs.closeSync(out);
  if (result.status !== 0 && !(env && env.ALLOW_EXIT)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

/** Alternate A and B `runs` times (after one warm-up each); medians and their ratio. */
function compare(name, a, b, target) {
  a();
  b();
  const as = [];
  const bs = [];
  for (let i = 0; i < options.runs; i += 1) {
    as.push(a());
    bs.push(b());
  }
  const row = { name, pops: median(as), baseline: median(bs), target };
  row.ratio = row.pops / row.baseline;
  log(`  ${name}: ${row.ratio.toFixed(2)}× (${row.pops.toFixed(0)} ms vs ${row.baseline.toFixed(0)} ms)`);
  return row;
}

function pops(db, args, extra = {}) {
  return () => timed(process.execPath, [bin, '--db', db, ...args], extra);
}

function peakMemoryKiB(db, args) {
  if (!gnuTime) return null;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, '--db', db, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const lines = result.stderr.trim().split('\n');
  return Number(lines[lines.length - 1]);
}

function accountsQuery() {
  const kit = path.join(root, 'dist', 'bench-store-kit.cjs');
  const sql = createRequire(import.meta.url)(kit).accountFiguresSql({ kind: 'all' });
  return `${sql}\nORDER BY totalBalance DESC, accountNumber ASC;`;
}

/** The rows `preview --all` reads: every account with its encounters, lines, statements and payments. */
const PREVIEW_ROWS_SQL = `
SELECT a.*, g.*, e.*, p.first_name, p.last_name, f.name, pr.name, ag.name, l.*
FROM accounts a JOIN groups g ON g.id = a.group_id
LEFT JOIN encounters e ON e.account_id = a.id LEFT JOIN patients p ON p.id = e.patient_id
LEFT JOIN facilities f ON f.id = e.facility_id LEFT JOIN providers pr ON pr.id = e.provider_id
LEFT JOIN collection_agencies ag ON ag.id = e.agency_id LEFT JOIN lines l ON l.encounter_number = e.number
ORDER BY a.id, e.service_date, e.number, l.line;
SELECT account_id, date, due_date, amount_due_cents FROM statements ORDER BY account_id, date;
SELECT account_id, date, amount_cents, method FROM payments ORDER BY account_id, date, id;`;

function groupChanges(db, count) {
  const names = JSON.parse(spawnSync(process.execPath, [bin, '--db', db, 'groups', 'list', '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout).map(
    (g) => g.name,
  );
  const rows = names.slice(0, count).map((name, i) => ({ name, footerText: `Office hours, run ${i}: Mon-Fri 8-5` }));
  const updates = rows.map(
    (r) => `UPDATE groups SET footer_text = '${r.footerText.replace(/'/g, "''")} (b)' WHERE name_key = '${r.name.toLowerCase().replace(/'/g, "''")}';`,
  );
  return { json: JSON.stringify({ groups: rows }), sql: `BEGIN;\n${updates.join('\n')}\nCOMMIT;\n` };
}

function copyStore(from, to) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(to + suffix, { force: true });
  fs.copyFileSync(from, to);
}

fs.mkdirSync(data, { recursive: true });
log(`pops-admin benchmark — node ${process.version}, ${os.cpus().length} cores, ${options.runs} runs per side`);
const rows = [];

const out = path.join(data, 'out.json');
const nodeBaseline = () => timed(process.execPath, ['-e', '0']);

// 1–2: start-up on a small store (the demo data).
if (wanted('startup')) {
  const small = path.join(data, 'small.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(small + suffix, { force: true });
  spawnSync(process.execPath, [bin, '--db', small, 'init', '--demo'], { stdio: 'ignore' });
  log('start-up (small store):');
  rows.push(compare('groups list --json (small store) vs node -e 0', pops(small, ['groups', 'list', '--json']), nodeBaseline, 1.5));
  rows.push(compare('preview <account> (small store) vs node -e 0', pops(small, ['preview', '10004']), nodeBaseline, 2));
}

// 3 + memory: accounts list over the big store.
let big;
let peak = null;
if (wanted('accounts')) {
  log(`generating ${options.accounts} accounts…`);
  big = generate({ accounts: options.accounts, groups: 20, seed: 1, out: path.join(data, `accounts-${options.accounts}.db`) });
  const query = accountsQuery();
  log('accounts list:');
  rows.push(
    compare(
      `accounts list --all --json --sort total (${options.accounts} accounts) vs sqlite3 -json`,
      pops(big, ['accounts', 'list', '--all', '--json', '--sort', 'total'], { stdout: out }),
      () => timed('sqlite3', ['-json', big], { input: query, stdout: out }),
      1.5,
    ),
  );
  peak = peakMemoryKiB(big, ['accounts', 'list', '--all', '--json', '--sort', 'total']);
}

// 4: snapshots of 10,000 accounts, each run into a new, empty directory
// (the old ones are deleted at the end: deleting 10,000 files right before a
// timed run would bill that run for the file system's clean-up).
if (wanted('preview')) {
  log('generating 10000 accounts for preview --all…');
  const tenK = generate({ accounts: 10_000, groups: 20, seed: 2, out: path.join(data, 'accounts-10000.db') });
  const snapshots = path.join(data, 'snapshots');
  fs.rmSync(snapshots, { recursive: true, force: true });
  let run = 0;
  log('preview --all:');
  rows.push(
    compare(
      'preview --all --out dir (10,000 accounts) vs sqlite3 -json selecting the same rows',
      () => pops(tenK, ['preview', '--all', '--out', path.join(snapshots, `run-${(run += 1)}`)])(),
      () => timed('sqlite3', ['-json', tenK], { input: PREVIEW_ROWS_SQL, stdout: out }),
      3,
    ),
  );
  fs.rmSync(snapshots, { recursive: true, force: true });
}

// 5: bulk apply of 10,000 group changes (a fresh copy of the store for every run of each side).
let floor = null;
if (wanted('apply')) {
  log('generating 10000 groups for groups apply…');
  const manyGroups = generate({ accounts: 2_000, groups: 10_000, seed: 3, out: path.join(data, 'groups-10000.db') });
  const change = groupChanges(manyGroups, 10_000);
  const applyFile = path.join(data, 'changes.json');
  fs.writeFileSync(applyFile, change.json);
  const work = path.join(data, 'groups-work.db');
  log('groups apply:');
  rows.push(
    compare(
      'groups apply of 10,000 group changes vs sqlite3 running the same 10,000 UPDATEs in one transaction',
      () => {
        copyStore(manyGroups, work);
        return pops(work, ['groups', 'apply', applyFile])();
      },
      () => {
        copyStore(manyGroups, work);
        return timed('sqlite3', [work], { input: change.sql });
      },
      2,
    ),
  );
  // For reference, not a figure: the least any Node program needs for the same
  // writes and audit rows (bench/apply-floor.cjs: no validation, no plan).
  floor = compare(
    'reference: bench/apply-floor.cjs (bare Node, same UPDATEs and audit rows) vs the same sqlite3 run',
    () => {
      copyStore(manyGroups, work);
      return timed(process.execPath, [path.join(root, 'bench', 'apply-floor.cjs'), work, applyFile]);
    },
    () => {
      copyStore(manyGroups, work);
      return timed('sqlite3', [work], { input: change.sql });
    },
    null,
  );
}

// Growth with the number of accounts.
const growth = [];
if (options.scale && wanted('accounts')) {
  log('growth:');
  for (const n of [10_000, 30_000, 100_000]) {
    const db = n === options.accounts ? big : generate({ accounts: n, groups: 20, seed: 1, out: path.join(data, `scale-${n}.db`) });
    const run = pops(db, ['accounts', 'list', '--all', '--json', '--sort', 'total'], { stdout: out });
    run();
    const ms = median(Array.from({ length: options.runs }, run));
    const mem = peakMemoryKiB(db, ['accounts', 'list', '--all', '--json', '--sort', 'total']);
    growth.push({ accounts: n, ms, mem });
    log(`  ${n} accounts: ${ms.toFixed(0)} ms, peak ${mem === null ? '?' : (mem / 1024).toFixed(0)} MiB`);
  }
}

console.log('\n| figure | pops (median) | baseline (median) | ratio | target |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.pops.toFixed(0)} ms | ${r.baseline.toFixed(0)} ms | ${r.ratio.toFixed(2)}× | ≤ ${r.target}× ${r.ratio <= r.target ? 'met' : 'MISSED'} |`,
  );
}
if (floor !== null) console.log(`| ${floor.name} | ${floor.pops.toFixed(0)} ms | ${floor.baseline.toFixed(0)} ms | ${floor.ratio.toFixed(2)}× | — |`);
if (wanted('accounts') && peak !== null) {
  const mib = peak / 1024;
  console.log(
    `| peak memory of accounts list --all --json (${options.accounts} accounts) | ${mib.toFixed(0)} MiB | — | — | ≤ 150 MiB ${mib <= 150 ? 'met' : 'MISSED'} |`,
  );
} else if (wanted('accounts')) {
  console.log('(peak memory not measured: /usr/bin/time is missing; apt-get install -y time)');
}
if (growth.length) {
  console.log('\n| accounts | accounts list --all --json --sort total | peak memory |');
  console.log('|---|---|---|');
  for (const g of growth) console.log(`| ${g.accounts} | ${g.ms.toFixed(0)} ms | ${g.mem === null ? '?' : `${(g.mem / 1024).toFixed(0)} MiB`} |`);
}
