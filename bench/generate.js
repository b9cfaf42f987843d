// Seeded generator of a synthetic store for the benchmark, written through the
// project's own store code (bench/store-kit.ts), in batches of accounts.
//
//   node bench/generate.js --out bench/.data/big.db [--accounts 100000] [--groups 20] [--seed 1]
//
// Shape: 4 encounters and 10 line items per account on average (100,000
// accounts → 400,000 encounters, 1,000,000 lines), about 1 in 12 encounters in
// collections and 1 in 12 in pre-collections, 0–3 statements and payments
// (about 1 payment in 20 declined). Groups are named `Group 00001`,
// `Group 00002`, …; `--groups 100000` makes a store of many groups (the
// `groups apply` figures), each account in group (its index mod the count).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// bench/store-kit.ts, bundled by the build.
const { openStore, writeDump, AuditBatch, defaultSettings } = createRequire(import.meta.url)(path.join(root, 'dist/bench-store-kit.cjs'));

export function parseArgs(argv) {
  const options = { accounts: 100_000, groups: 20, seed: 1, out: path.join(root, 'bench/.data/store.db') };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options)) throw new Error(`unknown option ${argv[i]}`);
    options[key] = key === 'out' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return options;
}

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Maria', 'James', 'Ana', 'Wei', 'Fatima', 'John', 'Priya', 'Luis', 'Olga', 'Kofi', 'Emma', 'Noah'];
const LAST = ['Rivera', 'Smith', 'Ortiz', 'Chen', 'Khan', 'Johnson', 'Patel', 'Garcia', 'Ivanova', 'Mensah', 'Brown', 'Nguyen'];
const CODES = [
  ['99213', 'Office visit'],
  ['87880', 'Rapid strep test'],
  ['90471', 'Immunization administration'],
  ['73610', 'X-ray ankle, 3 views'],
  ['36415', 'Venipuncture'],
];

const pad = (n) => String(n).padStart(2, '0');
function dayToDate(day) {
  const d = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function generate(options) {
  const random = prng(options.seed);
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];

  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(options.out + suffix, { force: true });
  const { db } = openStore(options.out, { create: true });
  const audit = new AuditBatch(db, 'bench');

  const groups = Array.from({ length: options.groups }, (_, i) => ({
    name: `Group ${String(i + 1).padStart(5, '0')}`,
    ...defaultSettings(),
    showCollections: i % 2 === 0,
    footerPhone: i % 3 === 0 ? null : '+13125550142',
    includeNewCharges: i % 4 === 0,
  }));
  const reference = {
    format: 'pops-dump',
    version: 1,
    groups,
    collectionAgencies: [
      { code: 'SUMMIT', name: 'Summit Recovery Services', phone: null },
      { code: 'MIDWEST', name: 'Midwest Credit Partners', phone: null },
      { code: 'LAKE', name: 'Lake Shore Collections', phone: null },
    ],
    facilities: Array.from({ length: 5 }, (_, i) => ({ code: `F${i + 1}`, name: `Facility ${i + 1}` })),
    providers: Array.from({ length: 10 }, (_, i) => ({ code: `P${i + 1}`, name: `Provider ${i + 1}, MD` })),
    accounts: [],
  };
  db.transaction(() => writeDump(db, reference, audit)).immediate();

  let encounterNumber = 1_000_000;
  const batchSize = 5000;
  for (let start = 0; start < options.accounts; start += batchSize) {
    const accounts = [];
    for (let i = start; i < Math.min(options.accounts, start + batchSize); i += 1) {
      const patients = Array.from({ length: int(1, 3) }, (_, p) => ({ id: `P${p + 1}`, firstName: pick(FIRST), lastName: pick(LAST) }));
      const encounters = [];
      // 1..7 encounters, mean 4; lines per encounter 1..4, mean 2.5.
      for (let e = int(1, 7); e > 0; e -= 1) {
        const roll = random();
        const status = roll < 1 / 12 ? 'collections' : roll < 2 / 12 ? 'pre-collections' : 'open';
        const serviceDay = int(0, 680);
        const lines = Array.from({ length: int(1, 4) }, (_, l) => {
          const [code, description] = pick(CODES);
          const billed = int(20, 600) * 100;
          const adjusted = Math.floor(billed * random() * 0.3);
          const insurancePaid = Math.floor((billed - adjusted) * random() * 0.8);
          const patientPaid = random() < 0.02 ? billed : random() < 0.3 ? int(0, billed - adjusted - insurancePaid) : 0;
          return { line: l + 1, code, description, billed, adjusted, insurancePaid, patientPaid };
        });
        encounters.push({
          number: (encounterNumber += 1),
          patient: pick(patients).id,
          facility: `F${int(1, 5)}`,
          provider: `P${int(1, 10)}`,
          serviceDate: dayToDate(serviceDay),
          status,
          collectionAgency: status === 'collections' ? pick(['SUMMIT', 'MIDWEST', 'LAKE']) : undefined,
          sentToCollectionsOn: status === 'collections' ? dayToDate(serviceDay + 90) : undefined,
          lines,
        });
      }
      const statements = [];
      let day = int(200, 300);
      for (let s = int(0, 3); s > 0; s -= 1) {
        statements.push({ date: dayToDate(day), dueDate: dayToDate(day + 25), amountDue: int(0, 900) * 100 });
        day += 30;
      }
      const payments = Array.from({ length: int(0, 3) }, () => ({
        date: dayToDate(int(150, 700)),
        amount: int(5, 200) * 100,
        method: pick(['card', 'cash', 'check', 'portal', 'other']),
        // Rows go straight to the store (no dump schema to fill in defaults).
        // About 1 in 20 is a declined card, which counts in no figure.
        status: random() < 0.05 ? 'declined' : 'paid',
      }));
      accounts.push({
        accountNumber: String(100000 + i),
        guarantor: { firstName: pick(FIRST), lastName: pick(LAST) },
        group: groups[i % groups.length].name,
        unappliedFunds: random() < 0.05 ? int(1, 100) * 100 : 0,
        patients,
        encounters,
        statements,
        payments,
      });
    }
    const batch = { ...reference, groups: [], collectionAgencies: [], facilities: [], providers: [], accounts };
    db.transaction(() => writeDump(db, batch, audit)).immediate();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return options.out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  generate(options);
  process.stderr.write(`wrote ${options.out}: ${options.accounts} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
