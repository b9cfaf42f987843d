// node bench/apply-floor.cjs <store> <changes.json> <actor>
//
// A reference point for the `groups apply` figures, not a baseline and not
// part of pops: the least a Node program does for the benchmark's change file
// ({"groups": [{"name", "footerText"}]}) — start Node, load better-sqlite3,
// read the JSON, then in one transaction read the groups the file names (by
// their name key: lower() is the key of the generated ASCII names), write the
// same UPDATEs and the same audit rows as pops and as
// bench/baselines/groups-apply.sql, and print one line per change. No
// validation, no plan objects, no error handling. bench/run.js times it beside
// the sqlite3 baseline, so the report shows how much of the budget Node itself
// leaves.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Database = require('better-sqlite3');

const [store, file, actor] = process.argv.slice(2);
const wanted = JSON.parse(fs.readFileSync(file, 'utf8')).groups;
const db = new Database(store);
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
const at = new Date().toISOString();
const batch = crypto.randomUUID();
let out = '';
db.transaction(() => {
  const groups = new Map(
    db
      .prepare('SELECT g.name_key, g.id, g.name, g.footer_text FROM groups g WHERE g.name_key IN (SELECT value FROM json_each(?))')
      .raw()
      .all(JSON.stringify(wanted.map((change) => change.name.toLowerCase())))
      .map((row) => [row[0], row]),
  );
  const updates = [];
  const audit = [];
  for (const { name, footerText } of wanted) {
    const [, id, current, before] = groups.get(name.toLowerCase());
    if (before === footerText) continue;
    updates.push([id, footerText]);
    audit.push([id, current, JSON.stringify(before), JSON.stringify(footerText)]);
    out += `${current}\n  footerText: ${JSON.stringify(before)} → ${JSON.stringify(footerText)}\n`;
  }
  db.prepare('UPDATE groups SET footer_text = j.value ->> 1 FROM json_each(?) AS j WHERE groups.id = j.value ->> 0').run(JSON.stringify(updates));
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
     SELECT ?, ?, 'set', j.value ->> 0, j.value ->> 1, 'footerText', j.value ->> 2, j.value ->> 3, ? FROM json_each(?) AS j ORDER BY j.key`,
  ).run(at, actor, batch, JSON.stringify(audit));
}).immediate();
db.close();
process.stdout.write(out);
