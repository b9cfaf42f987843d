// Migration 3: the whole patient experience (docs/portal.md).
// - Groups gain the v2 settings, each at its default, and `landing_page` may be
//   `pay`. SQLite cannot change a CHECK constraint in place, so the groups
//   table is rebuilt with every id kept; its AUTOINCREMENT counter (migration 2)
//   carries over, so ids stay never reused.
// - Payments gain `status`: `paid` (every payment so far) or `declined`.
// Runs with foreign keys off (a table that others refer to is replaced).

const V1_COLUMNS = `id, name, name_key, show_collections, footer_phone, footer_email, footer_text, landing_page, account_dashboard,
  include_new_charges, credit_card, apple_pay, google_pay, store_payment_methods, auto_post, require_cvv, logo_url`;

const color = (column: string) =>
  `${column.padEnd(21)} TEXT CHECK (${column} IS NULL OR (length(${column}) = 7 AND ${column} GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'))`;

export const sql = `
CREATE TEMP TABLE pops_groups_sequence AS SELECT seq FROM sqlite_sequence WHERE name = 'groups';

CREATE TABLE groups_new (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  name                  TEXT NOT NULL,
  -- the name's key (NFC, case-folded, invisible characters removed): names are unique by it
  name_key              TEXT NOT NULL UNIQUE,
  show_collections      INTEGER NOT NULL DEFAULT 0 CHECK (show_collections IN (0, 1)),
  footer_phone          TEXT,
  footer_email          TEXT,
  footer_text           TEXT,
  landing_page          TEXT NOT NULL DEFAULT 'home' CHECK (landing_page IN ('home', 'account', 'pay')),
  account_dashboard     INTEGER NOT NULL DEFAULT 1 CHECK (account_dashboard IN (0, 1)),
  include_new_charges   INTEGER NOT NULL DEFAULT 0 CHECK (include_new_charges IN (0, 1)),
  credit_card           INTEGER NOT NULL DEFAULT 1 CHECK (credit_card IN (0, 1)),
  apple_pay             INTEGER NOT NULL DEFAULT 0 CHECK (apple_pay IN (0, 1)),
  google_pay            INTEGER NOT NULL DEFAULT 0 CHECK (google_pay IN (0, 1)),
  store_payment_methods INTEGER NOT NULL DEFAULT 0 CHECK (store_payment_methods IN (0, 1)),
  auto_post             INTEGER NOT NULL DEFAULT 0 CHECK (auto_post IN (0, 1)),
  require_cvv           INTEGER NOT NULL DEFAULT 1 CHECK (require_cvv IN (0, 1)),
  logo_url              TEXT,
  show_current_balance  INTEGER NOT NULL DEFAULT 1 CHECK (show_current_balance IN (0, 1)),
  show_escrow           INTEGER NOT NULL DEFAULT 1 CHECK (show_escrow IN (0, 1)),
  logout_function       TEXT NOT NULL DEFAULT 'logout' CHECK (logout_function IN ('close', 'logout', 'none')),
  email_receipts        INTEGER NOT NULL DEFAULT 0 CHECK (email_receipts IN (0, 1)),
  split_payments        INTEGER NOT NULL DEFAULT 0 CHECK (split_payments IN (0, 1)),
  favicon_url           TEXT,
  home_asset_url        TEXT,
  ${color('theme_background')},
  ${color('theme_surface')},
  ${color('theme_primary')},
  ${color('theme_secondary')},
  ${color('theme_accent')},
  ${color('theme_info')},
  ${color('theme_success')},
  ${color('theme_error')},
  ${color('theme_warning')},
  theme_dark            INTEGER NOT NULL DEFAULT 0 CHECK (theme_dark IN (0, 1))
);

INSERT INTO groups_new (${V1_COLUMNS}) SELECT ${V1_COLUMNS} FROM groups;
DROP TABLE groups;
ALTER TABLE groups_new RENAME TO groups;

INSERT INTO sqlite_sequence (name, seq) SELECT 'groups', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'groups');
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT max(seq) FROM pops_groups_sequence), 0), (SELECT coalesce(max(id), 0) FROM groups))
WHERE name = 'groups';
DROP TABLE pops_groups_sequence;

ALTER TABLE payments ADD COLUMN status TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'declined'));
`;
