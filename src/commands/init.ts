// pops init [--demo]: create the store (mode 0600) or migrate an older one.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { openStore } from '../store/open.js';
import { SCHEMA_VERSION } from '../store/migrations/index.js';
import { UsageError } from '../errors.js';
import { importDocument } from './import.js';
import { packageFile } from '../paths.js';

export function define(command: Command, ctx: Context): void {
  command
    .option('--demo', 'load the demo data set from fixtures/ into the new, empty store')
    .addHelpText('after', '\nExamples:\n  pops init\n  pops --db demo.db init --demo')
    .action(async (options: { demo?: boolean }) => run(ctx, options));
}

export async function run(ctx: Context, options: { demo?: boolean }): Promise<void> {
  const { db, created, previousVersion } = openStore(ctx.dbPath, { create: true });
  try {
    if (created || previousVersion === 0) ctx.io.err(`pops: created store ${ctx.dbPath}\n`);
    else if (previousVersion < SCHEMA_VERSION) ctx.io.err(`pops: migrated store ${ctx.dbPath} from schema ${previousVersion} to ${SCHEMA_VERSION}\n`);
    else if (!options.demo) ctx.io.err(`pops: store ${ctx.dbPath} is up to date (schema ${SCHEMA_VERSION})\n`);
    if (options.demo) {
      const content = db.prepare('SELECT (SELECT COUNT(*) FROM groups) + (SELECT COUNT(*) FROM accounts) AS n').get() as { n: number };
      if (content.n > 0) throw new UsageError(`store ${ctx.dbPath} is not empty; --demo loads only into an empty store`, 'Use another --db path, or `pops import --replace fixtures/demo.json`.');
      const demoFile = packageFile('fixtures/demo.json');
      const summary = importDocument(db, JSON.parse(fs.readFileSync(demoFile, 'utf8')), { replace: false, actor: ctx.actor, where: 'fixtures/demo.json' });
      ctx.io.err(`pops: loaded the demo data: ${summary.groups} groups, ${summary.accounts} accounts, ${summary.encounters} encounters\n`);
    }
  } finally {
    db.close();
  }
}
