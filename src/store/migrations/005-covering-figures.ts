// Migration 5: each sort of `accounts list` reads one index from end to end.
// The indexes of migration 4 gave the order but not the figures, so a list
// looked up every account's row of account_figures as well, in the order of
// the sort, not of the table: with the list's small page cache that read the
// same pages of the table again and again (at 100,000 accounts about 150,000
// page reads where the table has 1,500 pages; docs/performance.md, "accounts
// list"). The money sorts' indexes now hold every stored figure after the
// sort's key, so such a list reads none of the table's rows. The account
// number's unique index stays as it was: a list by number reads the table in
// the order import wrote it, which is already that of the numbers when the
// accounts came in that order.

// Written out in full, not built from a list: this text is part of every command's start-up.
export const sql = `
DROP INDEX account_figures_by_total;
DROP INDEX account_figures_by_collection;
DROP INDEX account_figures_by_non_collection;
CREATE INDEX account_figures_by_total ON account_figures (
  total_cents DESC, account_number,
  account_id, collection_cents, pre_collections_cents, non_collection_cents, new_charges_cents, encounters_in_collections, latest_statement_date, latest_amount_due_cents, previous_amount_due_cents, payments_since_statement_cents, collection_agencies
);
CREATE INDEX account_figures_by_collection ON account_figures (
  collection_cents DESC, account_number,
  account_id, pre_collections_cents, non_collection_cents, total_cents, new_charges_cents, encounters_in_collections, latest_statement_date, latest_amount_due_cents, previous_amount_due_cents, payments_since_statement_cents, collection_agencies
);
CREATE INDEX account_figures_by_non_collection ON account_figures (
  non_collection_cents DESC, account_number,
  account_id, collection_cents, pre_collections_cents, total_cents, new_charges_cents, encounters_in_collections, latest_statement_date, latest_amount_due_cents, previous_amount_due_cents, payments_since_statement_cents, collection_agencies
);
`;
