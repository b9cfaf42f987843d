// Migration 1: every entity of docs/balances.md, the append-only audit log, and the
// indexes that keep account listing and previews fast at 100,000 accounts.
export const sql = `
CREATE TABLE groups (
  id                    INTEGER PRIMARY KEY,
  name                  TEXT NOT NULL,
  -- lower-cased name: group names are unique case-insensitively (Unicode too)
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

CREATE TABLE collection_agencies (
  id    INTEGER PRIMARY KEY,
  code  TEXT NOT NULL UNIQUE,
  name  TEXT NOT NULL,
  phone TEXT
);

CREATE TABLE facilities (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE providers (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE accounts (
  id                    INTEGER PRIMARY KEY,
  account_number        TEXT NOT NULL UNIQUE,
  guarantor_first_name  TEXT NOT NULL,
  guarantor_last_name   TEXT NOT NULL,
  group_id              INTEGER NOT NULL REFERENCES groups (id),
  unapplied_funds_cents INTEGER NOT NULL DEFAULT 0 CHECK (unapplied_funds_cents >= 0)
);
CREATE INDEX accounts_by_group ON accounts (group_id);

CREATE TABLE patients (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  patient_key TEXT NOT NULL,
  first_name  TEXT NOT NULL,
  last_name   TEXT NOT NULL,
  UNIQUE (account_id, patient_key)
);

CREATE TABLE encounters (
  number                 INTEGER PRIMARY KEY,
  account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  patient_id             INTEGER NOT NULL REFERENCES patients (id),
  facility_id            INTEGER NOT NULL REFERENCES facilities (id),
  provider_id            INTEGER NOT NULL REFERENCES providers (id),
  service_date           TEXT NOT NULL,
  status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pre-collections', 'collections')),
  agency_id              INTEGER REFERENCES collection_agencies (id),
  sent_to_collections_on TEXT
);
CREATE INDEX encounters_by_account ON encounters (account_id, status, service_date);
CREATE INDEX encounters_by_patient ON encounters (patient_id);
CREATE INDEX encounters_by_agency ON encounters (agency_id) WHERE agency_id IS NOT NULL;

-- Clustered by encounter: an encounter's lines are read together.
CREATE TABLE lines (
  encounter_number     INTEGER NOT NULL REFERENCES encounters (number) ON DELETE CASCADE,
  line                 INTEGER NOT NULL CHECK (line >= 1),
  code                 TEXT NOT NULL,
  description          TEXT NOT NULL,
  billed_cents         INTEGER NOT NULL CHECK (billed_cents >= 0),
  adjusted_cents       INTEGER NOT NULL CHECK (adjusted_cents >= 0),
  insurance_paid_cents INTEGER NOT NULL CHECK (insurance_paid_cents >= 0),
  patient_paid_cents   INTEGER NOT NULL CHECK (patient_paid_cents >= 0),
  PRIMARY KEY (encounter_number, line)
) WITHOUT ROWID;

CREATE TABLE statements (
  account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  date             TEXT NOT NULL,
  due_date         TEXT NOT NULL CHECK (due_date >= date),
  amount_due_cents INTEGER NOT NULL CHECK (amount_due_cents >= 0),
  PRIMARY KEY (account_id, date)
) WITHOUT ROWID;

CREATE TABLE payments (
  id           INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  date         TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  method       TEXT NOT NULL CHECK (method IN ('card', 'cash', 'check', 'portal', 'other'))
);
CREATE INDEX payments_by_account ON payments (account_id, date);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('create', 'set', 'rename', 'delete')),
  -- the group's id (kept after a delete, so no foreign key) and its name at the time
  group_id   INTEGER NOT NULL,
  group_name TEXT NOT NULL,
  field      TEXT,
  from_value TEXT,
  to_value   TEXT,
  batch      TEXT NOT NULL
);
CREATE INDEX audit_by_group ON audit_log (group_id, id);

-- Append-only, enforced by the schema itself.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;
