// pops init [--demo]: create the store (a file, mode 0600, or the schema in an
// empty PostgreSQL database) or migrate an older one (docs/store.md).
import fs from 'node:fs';
import url from 'node:url';
import { StoreError, UsageError } from '../base/errors.js';
import { packageFile } from '../base/paths.js';
import { plural } from '../base/plural.js';
import { defineCommand, flag } from '../shell/command.js';
import { warnOfPassword } from '../shell/context.js';
import { importDocument } from '../store/import-run.js';
import { openDb } from '../store/open-db.js';
import { withoutPassword } from '../base/secrets.js';
import { SCHEMA_VERSION } from '../store/migrations/index.js';

export default defineCommand({
  name: 'init',
  summary: 'create the store, or migrate an older one',
  args: [],
  options: { demo: flag('--demo', 'load the demo data set from fixtures/ into the new, empty store') },
  examples: ['pops init', 'pops --db demo.db init --demo'],
  run(opts, deps) {
    warnOfPassword(deps);
    const { db, created, previousVersion, version } = openDb(deps.dbPath, { create: true, busyTimeoutMs: deps.busyTimeoutMs, from: deps.dbFrom });
    // A store URL is named without its password (docs/store.md, "Store locations").
    const store = withoutPassword(deps.dbPath);
    try {
      // An older store that could not be migrated (read-only) is read as it is by other commands; init exists to migrate it.
      if (version < SCHEMA_VERSION)
        throw new StoreError(
          `store is read-only: cannot migrate ${store} from schema ${version} to ${SCHEMA_VERSION}`,
          'Check the file and directory permissions, or whether the file system is mounted read-only.',
        );
      if (created) deps.io.err(`pops: created store ${store}\n`);
      else if (previousVersion < SCHEMA_VERSION) deps.io.err(`pops: migrated store ${store} from schema ${previousVersion} to ${SCHEMA_VERSION}\n`);
      else if (!opts.demo) deps.io.err(`pops: store ${store} is up to date (schema ${SCHEMA_VERSION})\n`);
      if (opts.demo) {
        const demoFile = packageFile('fixtures/demo.json');
        // Checked inside the import's own write transaction: two `init --demo` at once load the data once.
        const notEmpty = new UsageError(
          `store ${store} is not empty; --demo loads only into an empty store`,
          `Use another --db path, or replace its content: pops import --replace ${url.fileURLToPath(demoFile)}`,
        );
        const summary = importDocument(db, JSON.parse(fs.readFileSync(demoFile, 'utf8')), { replace: false, actor: deps.actor, onlyIntoEmpty: notEmpty });
        deps.io.err(
          `pops: loaded the demo data: ${plural(summary.groups, 'group')}, ${plural(summary.accounts, 'account')}, ${plural(summary.encounters, 'encounter')}\n`,
        );
      }
    } finally {
      db.close();
    }
  },
});
