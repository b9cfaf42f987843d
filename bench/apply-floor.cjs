// node bench/apply-floor.cjs <store> <changes.json> <actor>
//
// A reference point for the `groups apply` figures, not a baseline and not
// part of pops: the least a Node program does for the benchmark's change file
// ({"groups": [{"name", "footerText"}]}). It starts Node, loads better-sqlite3,
// hands the file's text to SQLite, which in one transaction reads the named
// groups, writes the same UPDATEs and audit rows as pops and as
// bench/baselines/groups-apply.sql, and prints the same plan and warnings. No validation,
// no plan objects, no error handling, no JavaScript per change but the
// printing. bench/run.js times it beside the sqlite3 baseline, so the report
// shows how much of the budget starting Node and printing from it leave.
// (A version that parsed the JSON and looped over the changes in JavaScript
// cost about a third more per change.)
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Database = require('better-sqlite3');

const [store, file, actor] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const db = new Database(store);
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
const at = new Date().toISOString();
const batch = crypto.randomUUID();
const shown = (value) => (value === null ? 'not set' : JSON.stringify(value));
const lines = [];
let unchanged = 0;
let left = [];
db.transaction(() => {
  // The generated names are ASCII: lower() is their key.
  db.prepare(
    `CREATE TEMP TABLE change AS
     SELECT CAST(j.key AS INTEGER) AS ord, g.id AS group_id, g.name AS name, g.footer_text AS before, j.value ->> '$.footerText' AS after
     FROM json_each(?, '$.groups') AS j JOIN groups g ON g.name_key = lower(j.value ->> '$.name')`,
  ).run(text);
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
     SELECT ?, ?, 'set', group_id, name, 'footerText', json_quote(before), json_quote(after), ? FROM change WHERE before IS NOT after ORDER BY ord`,
  ).run(at, actor, batch);
  db.prepare('UPDATE groups SET footer_text = c.after FROM change c WHERE groups.id = c.group_id AND c.before IS NOT c.after').run();
  for (const [name, before, after] of db.prepare('SELECT name, before, after FROM change ORDER BY ord').raw().iterate()) {
    if (before === after) unchanged += 1;
    else lines.push(`${name}\n  footerText: ${shown(before)} → ${shown(after)}`);
  }
  // The named groups left with Show Collections on and no footer number: pops warns about the first 50.
  left = db
    .prepare('SELECT c.name FROM change c JOIN groups g ON g.id = c.group_id WHERE g.show_collections = 1 AND g.footer_phone IS NULL ORDER BY c.ord')
    .pluck()
    .all();
}).immediate();
db.close();
lines.push(`${lines.length} changed, 0 created, ${unchanged} unchanged`);
process.stdout.write(`${lines.join('\n')}\n`);
let warnings = '';
for (const name of left.slice(0, 50)) {
  warnings +=
    `pops: warning: group ${JSON.stringify(name)} has Show Collections on but no footer number: the Collection Balance panel ` +
    `can only tell patients to contact the office (set one with: pops groups footer-number '${name}' <number>)\n`;
}
const more = left.length - 50;
if (more > 0)
  warnings += `pops: warning: ${more} more group${more === 1 ? ' has' : 's have'} Show Collections on but no footer number (pops doctor lists them all)\n`;
process.stderr.write(warnings);
