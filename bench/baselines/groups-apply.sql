-- The `groups apply` baseline (docs/performance.md, "Baselines"): the sqlite3
-- shell applies the benchmark's change file, {"groups": [{"name", "footerText"}]},
-- to the store in one transaction: the same UPDATEs and the same audit rows
-- pops writes (one `set` row per changed setting, from/to as JSON values, in
-- the order of the file, one time, actor and batch id for the run); then it
-- prints the same plan pops prints (each changed group's name and its change,
-- then the summary line), and on stderr the same warnings (named groups left
-- with Show Collections on and no footer number: the first 50, then how many
-- more). bench/run.js fills in @changes (the file), @actor
-- and @batch (a UUID, as a script would take from uuidgen) with
-- `.parameter set`. Names are matched by their key the way a script that
-- knows its data would: the generated names are ASCII, so lower() is their
-- key; the texts are ASCII, so json_quote() quotes them as pops shows them.
BEGIN IMMEDIATE;
CREATE TEMP TABLE change AS
  SELECT CAST(j.key AS INTEGER) AS ord, g.id AS group_id, g.name AS name,
         g.footer_text AS before, j.value ->> '$.footerText' AS after
  FROM json_each(readfile(@changes), '$.groups') AS j
  JOIN groups g ON g.name_key = lower(j.value ->> '$.name');
INSERT INTO audit_log (at, actor, action, group_id, group_name, field, from_value, to_value, batch)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), @actor, 'set', group_id, name, 'footerText', json_quote(before), json_quote(after), @batch
  FROM change WHERE before IS NOT after ORDER BY ord;
UPDATE groups SET footer_text = c.after FROM change c WHERE groups.id = c.group_id AND c.before IS NOT c.after;
COMMIT;
SELECT name || char(10) || '  footerText: ' || iif(before IS NULL, 'not set', json_quote(before)) || ' → ' || iif(after IS NULL, 'not set', json_quote(after))
FROM change WHERE before IS NOT after ORDER BY ord;
SELECT printf('%d changed, 0 created, %d unchanged', SUM(before IS NOT after), SUM(before IS after)) FROM change;
.output /dev/stderr
SELECT 'pops: warning: group ' || json_quote(c.name) || ' has Show Collections on but no footer number: the Collection Balance panel'
       || ' can only tell patients to contact the office (set one with: pops groups footer-number ''' || c.name || ''' <number>)'
FROM change c JOIN groups g ON g.id = c.group_id
WHERE g.show_collections = 1 AND g.footer_phone IS NULL ORDER BY c.ord LIMIT 50;
SELECT printf('pops: warning: %d more group%s Show Collections on but no footer number (pops doctor lists them all)', COUNT(*) - 50, iif(COUNT(*) = 51, ' has', 's have'))
FROM change c JOIN groups g ON g.id = c.group_id
WHERE g.show_collections = 1 AND g.footer_phone IS NULL HAVING COUNT(*) > 50;
.output stdout
