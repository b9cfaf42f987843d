// PostgreSQL migration 5: SQLite's migration 5 makes each sort of `accounts
// list` one index read from end to end, for SQLite's small page cache. A
// PostgreSQL store keeps its indexes of migration 4: it reads through the
// server's shared buffers, its list already meets its target
// (docs/performance.md, "PostgreSQL"), and an index row of every figure could
// pass PostgreSQL's limit on an index row's size (a long list of collection
// agencies). The version moves all the same, so that both stores number
// their schemas alike. Run by src/store/pg/migrations.ts. Never edit it once shipped.
export const sql = (): string => `
COMMENT ON TABLE account_figures IS 'each account''s balance figures that do not depend on its group (pops migration 4)';
`;
