// Schema migrations in order: migration N brings `PRAGMA user_version` to N.
// Add a file NNN-what.ts exporting `sql` and list it here; never edit a
// migration that has shipped.
import { sql as initial } from './001-initial.js';

export const MIGRATIONS: readonly string[] = [initial];

export const SCHEMA_VERSION = MIGRATIONS.length;
