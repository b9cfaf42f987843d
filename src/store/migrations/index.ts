// Schema migrations in order: migration N brings `PRAGMA user_version` to N.
// Add a file NNN-what.ts exporting `sql` (and any SQL functions its SQL calls,
// as `functions`) and list it here; never edit a migration that has shipped.
import { sql as initial } from './001-initial.js';
import * as groupIdentity from './002-group-identity.js';
import { sql as portal } from './003-portal.js';
import { sql as accountFigures } from './004-account-figures.js';
import { sql as coveringFigures } from './005-covering-figures.js';

export interface Migration {
  sql: string;
  /** SQL functions the migration's SQL calls, registered on the connection before it runs. */
  functions?: Readonly<Record<string, (text: string) => string>>;
}

export const MIGRATIONS: readonly Migration[] = [{ sql: initial }, groupIdentity, { sql: portal }, { sql: accountFigures }, { sql: coveringFigures }];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The oldest schema version this program reads as it is when the store cannot
 * be migrated (a read-only file): the migrations after it only add indexes
 * (migration 5), so every query gives the same answers without them. A store
 * older than this must be migrated first (docs/store.md, "Schema and migrations").
 */
export const READABLE_FROM_VERSION = 4;
