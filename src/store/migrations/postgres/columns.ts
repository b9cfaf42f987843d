// Column shapes the PostgreSQL migrations share (docs/store.md, "PostgreSQL"):
// on/off settings stay 0/1 as on SQLite, colors are #rrggbb.

export const flag = (column: string, byDefault: 0 | 1): string => `${column} smallint NOT NULL DEFAULT ${byDefault} CHECK (${column} IN (0, 1))`;
export const color = (column: string): string => `${column} text CHECK (${column} IS NULL OR ${column} ~ '^#[0-9a-f]{6}$')`;
