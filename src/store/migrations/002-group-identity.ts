// Migration 2: group identity (docs/store.md, "Schema and migrations").
// - Group ids are never reused: the groups table is rebuilt with AUTOINCREMENT,
//   and its counter starts after the highest id ever handed out, including ids
//   of deleted groups that only the audit log remembers. Every id is kept, so
//   accounts and audit rows stay with their groups.
// - Names are stored in their normalized spelling and compared by their key
//   (NFC, case folding, invisible characters ignored), both computed by the
//   functions below. Groups whose names only now compare equal ("twins") all
//   stay: the lowest id keeps the key, the others get `<key>\u0001<id>`.
// Runs with foreign keys off (a table that others refer to is replaced).
import { groupNameKey, normalizeGroupName } from '../../domain/group-names.js';

export const functions = {
  pops_group_name: normalizeGroupName,
  pops_group_name_key: groupNameKey,
};

const SETTING_COLUMNS = `show_collections, footer_phone, footer_email, footer_text, landing_page, account_dashboard,
  include_new_charges, credit_card, apple_pay, google_pay, store_payment_methods, auto_post, require_cvv, logo_url`;

export const sql = `
CREATE TABLE groups_new (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  name                  TEXT NOT NULL,
  -- the name's key (NFC, case-folded, invisible characters removed): names are unique by it
  name_key              TEXT NOT NULL UNIQUE,
  show_collections      INTEGER NOT NULL DEFAULT 0 CHECK (show_collections IN (0, 1)),
  footer_phone          TEXT,
  footer_email          TEXT,
  footer_text           TEXT,
  landing_page          TEXT NOT NULL DEFAULT 'home' CHECK (landing_page IN ('home', 'account')),
  account_dashboard     INTEGER NOT NULL DEFAULT 1 CHECK (account_dashboard IN (0, 1)),
  include_new_charges   INTEGER NOT NULL DEFAULT 0 CHECK (include_new_charges IN (0, 1)),
  credit_card           INTEGER NOT NULL DEFAULT 1 CHECK (credit_card IN (0, 1)),
  apple_pay             INTEGER NOT NULL DEFAULT 0 CHECK (apple_pay IN (0, 1)),
  google_pay            INTEGER NOT NULL DEFAULT 0 CHECK (google_pay IN (0, 1)),
  store_payment_methods INTEGER NOT NULL DEFAULT 0 CHECK (store_payment_methods IN (0, 1)),
  auto_post             INTEGER NOT NULL DEFAULT 0 CHECK (auto_post IN (0, 1)),
  require_cvv           INTEGER NOT NULL DEFAULT 1 CHECK (require_cvv IN (0, 1)),
  logo_url              TEXT
);

INSERT INTO groups_new (id, name, name_key, ${SETTING_COLUMNS})
SELECT id, name, CASE WHEN twin = 1 THEN name_key ELSE name_key || char(1) || id END, ${SETTING_COLUMNS}
FROM (
  SELECT id, pops_group_name(name) AS name, pops_group_name_key(name) AS name_key,
         row_number() OVER (PARTITION BY pops_group_name_key(name) ORDER BY id) AS twin, ${SETTING_COLUMNS}
  FROM groups
);

DROP TABLE groups;
ALTER TABLE groups_new RENAME TO groups;

INSERT INTO sqlite_sequence (name, seq) SELECT 'groups', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'groups');
UPDATE sqlite_sequence
SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM groups), (SELECT coalesce(max(group_id), 0) FROM audit_log))
WHERE name = 'groups';
`;
