// node bench/startup-floor.cjs <store>
//
// The start-up floor for `pops groups list --json` (docs/performance.md,
// "Baselines"): the least a Node program does for the same output. It opens the
// store the way pops opens one (the file's SQLite header checked, the
// compiled addon named outright, busy_timeout, user_version read, the
// journal-mode check, foreign_keys on), reads the same two things in one read
// transaction (every group's id, name, Show Collections and footer number;
// per group the number of accounts and of accounts whose collection balance is
// above zero) and prints the same JSON, byte for byte. No command-line parser,
// no error messages, no validation: a floor, not a product.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Database = require('better-sqlite3');

const store = process.argv[2];

const header = Buffer.alloc(16);
const fd = fs.openSync(store, 'r');
fs.readSync(fd, header, 0, 16, 0);
fs.closeSync(fd);
if (header.toString('latin1') !== 'SQLite format 3\u0000') throw new Error(`not an SQLite file: ${store}`);

const addon = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const db = new Database(store, { fileMustExist: true, nativeBinding: addon });
db.pragma('busy_timeout = 5000');
if (db.pragma('user_version', { simple: true }) < 1) throw new Error(`not a pops store: ${store}`);
if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');

// Collection balance of an account = the remaining amounts (billed − adjusted −
// insurance paid − patient paid) of the lines of its `collections` encounters.
const COUNTS = `
SELECT a.group_id, COUNT(*) AS accounts, COALESCE(SUM(c.balance > 0), 0) AS in_collections
FROM accounts a
LEFT JOIN (SELECT e.account_id, SUM(l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents) AS balance
           FROM encounters e JOIN lines l ON l.encounter_number = e.number
           WHERE e.status = 'collections' GROUP BY e.account_id) c ON c.account_id = a.id
GROUP BY a.group_id`;
const GROUPS = 'SELECT id, name, show_collections, footer_phone FROM groups ORDER BY name_key, id';

const rows = db
  .transaction(() => {
    const counts = new Map(
      db
        .prepare(COUNTS)
        .raw()
        .all()
        .map(([id, accounts, inCollections]) => [id, [accounts, inCollections]]),
    );
    return db
      .prepare(GROUPS)
      .raw()
      .all()
      .map(([id, name, showCollections, footerPhone]) => {
        const [accounts, accountsInCollections] = counts.get(id) ?? [0, 0];
        return { id, name, showCollections: showCollections === 1, footerPhone, accounts, accountsInCollections };
      });
  })
  .deferred();
db.close();

// pops escapes, besides JSON's own escapes, what a terminal could act on (docs/formats.md, "JSON").
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
process.stdout.write(`${JSON.stringify(rows, null, 2).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
