// Migration 4: each account's balance figures that do not depend on its group,
// kept beside it (docs/performance.md, "accounts list"). Import, the only
// writer of accounts and their encounters, statements and payments, writes
// them. The figures of the accounts already in the store are computed once
// every migration has run (store/open.ts), by the program's own rules on the
// schema as it is then, so this file never needs to know them.

export const sql = `
CREATE TABLE account_figures (
  account_id                     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  -- the account's number again (it never changes), so that each sort of accounts list is an index
  account_number                 TEXT NOT NULL,
  collection_cents               INTEGER NOT NULL,
  pre_collections_cents          INTEGER NOT NULL,
  non_collection_cents           INTEGER NOT NULL,
  total_cents                    INTEGER NOT NULL,
  new_charges_cents              INTEGER NOT NULL,
  encounters_in_collections      INTEGER NOT NULL,
  -- the latest statement (S): its date and amount due; the previous one's amount due
  latest_statement_date          TEXT,
  latest_amount_due_cents        INTEGER,
  previous_amount_due_cents      INTEGER,
  -- paid payments after S (all paid payments without S)
  payments_since_statement_cents INTEGER NOT NULL,
  -- JSON array of the distinct agency names of collections encounters, in code-point order
  collection_agencies            TEXT NOT NULL
);
-- accounts list reads the accounts in the order it prints them, without sorting (money descending, ties by number)
CREATE INDEX account_figures_by_total ON account_figures (total_cents DESC, account_number);
CREATE INDEX account_figures_by_collection ON account_figures (collection_cents DESC, account_number);
CREATE INDEX account_figures_by_non_collection ON account_figures (non_collection_cents DESC, account_number);
CREATE UNIQUE INDEX account_figures_by_number ON account_figures (account_number);
`;
