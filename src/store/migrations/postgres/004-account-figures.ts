// PostgreSQL migration 4: SQLite's migration 4, in PostgreSQL's terms (docs/store.md,
// "PostgreSQL"); run by src/store/pg/migrations.ts. Never edit it once shipped.
export const sql = (): string => `
CREATE TABLE account_figures (
  account_id                     bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  account_number                 text NOT NULL,
  collection_cents               bigint NOT NULL,
  pre_collections_cents          bigint NOT NULL,
  non_collection_cents           bigint NOT NULL,
  total_cents                    bigint NOT NULL,
  new_charges_cents              bigint NOT NULL,
  encounters_in_collections      integer NOT NULL,
  latest_statement_date          text,
  latest_amount_due_cents        bigint,
  previous_amount_due_cents      bigint,
  payments_since_statement_cents bigint NOT NULL,
  -- JSON array of the distinct agency names of collections encounters, in code-point order
  collection_agencies            text NOT NULL
);
CREATE INDEX account_figures_by_total ON account_figures (total_cents DESC, account_number);
CREATE INDEX account_figures_by_collection ON account_figures (collection_cents DESC, account_number);
CREATE INDEX account_figures_by_non_collection ON account_figures (non_collection_cents DESC, account_number);
CREATE UNIQUE INDEX account_figures_by_number ON account_figures (account_number);
`;
