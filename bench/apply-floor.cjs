// node bench/apply-floor.cjs <store> <changes.json>
//
// A reference point for the `groups apply` figure, not part of pops: the
// least a Node program must do for the benchmark's change file — start Node,
// load better-sqlite3, read the JSON, match each group by name, then in one
// transaction write the same 10,000 UPDATEs and the audit rows pops writes
// (SPEC §6), and print one line per change. No validation, no plan objects,
// no error handling. bench/run.js times it beside the same sqlite3 run, so the
// report shows how much of the 2× budget Node itself leaves.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Database = require('better-sqlite3');

const [store, file] = process.argv.slice(2);
const wanted = JSON.parse(fs.readFileSync(file, 'utf8')).groups;
const db = new Database(store);
db.pragma('foreign_keys = ON');
const at = new Date().toISOString();
const batch = crypto.randomUUID();
let out = '';
db.transaction(() => {
  const groups = new Map(
    db
      .prepare('SELECT id, name, footer_text FROM groups')
      .raw()
      .all()
      .map((row) => [row[1].toLowerCase(), row]),
  );
  const updates = [];
  const audit = [];
  for (const { name, footerText } of wanted) {
    const [id, current, before] = groups.get(name.toLowerCase());
    if (before === footerText) continue;
    updates.push([id, footerText]);
    audit.push(['set', id, current, 'footerText', JSON.stringify(before), JSON.stringify(footerText)]);
    out += `${current}\n  footerText: ${JSON.stringify(before)} → ${JSON.stringify(footerText)}\n`;
  }
  db.prepare('UPDATE groups SET footer_text = j.value ->> 1 FROM json_each(?) AS j WHERE groups.id = j.value ->> 0').run(JSON.stringify(updates));
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
     SELECT ?, 'bench', j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, ? FROM json_each(?) AS j ORDER BY j.key`,
  ).run(at, batch, JSON.stringify(audit));
}).immediate();
db.close();
process.stdout.write(out);
