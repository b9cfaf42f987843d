-- The `groups apply` baseline (docs/performance.md, "Baselines"): the sqlite3
-- shell applies the benchmark's change file, {"groups": [{"name", "footerText"}]},
-- to the store in one transaction: the same UPDATEs and the same audit rows
-- pops writes (one `set` row per changed setting, from/to as JSON values,
-- in the order of the file, one time, actor and batch id for the run).
-- bench/run.js fills in @changes (the file), @actor and @batch (a UUID, as a
-- script would take from uuidgen) with `.parameter set`.
-- Names are matched by their key the way a script that knows its data would:
-- the generated names are ASCII, so lower() is their key.
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
