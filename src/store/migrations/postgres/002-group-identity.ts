// PostgreSQL migration 2: SQLite's migration 2 rebuilt groups for ids never reused and names
// keyed by pops_group_name_key; here both hold from migration 1 (an identity never reuses a
// value; keys are computed by pops), so it only says so (docs/store.md, "PostgreSQL"). Run by
// src/store/pg/migrations.ts. Never edit it once shipped.
export const sql = (): string => `
COMMENT ON COLUMN groups.id IS 'never reused: deleted groups keep their ids in the audit log';
`;
