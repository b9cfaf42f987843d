// pops import <file|-> [--replace]: validate the whole dump, then write it in one transaction.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { DB } from '../store/open.js';
import { withStore } from '../context.js';
import { readTextInput, parseJsonInput } from '../input.js';
import { ValidationError } from '../errors.js';
import { validateDump } from '../domain/dump-schema.js';
import { clearContent, findConflicts, findUnresolved, writeDump, type ImportSummary } from '../store/dump.js';
import { AuditBatch } from '../store/audit.js';

export function define(command: Command, ctx: Context): void {
  command
    .argument('<file>', 'the dump to load (JSON), or - for stdin')
    .option('--replace', "replace the store's whole content with the dump")
    .addHelpText('after', '\nExamples:\n  pops import practice.json\n  pops import --replace backup.json')
    .action(async (file: string, options: { replace?: boolean }) => {
      const text = await readTextInput(file, ctx.io.stdin);
      const document = parseJsonInput(text, file === '-' ? 'stdin' : file);
      const summary = withStore(ctx, (db) => importDocument(db, document, { replace: options.replace ?? false, actor: ctx.actor, where: file }));
      ctx.io.err(
        `pops: imported ${summary.groups} groups, ${summary.accounts} accounts, ${summary.encounters} encounters, ${summary.lines} line items${options.replace ? ' (store content replaced)' : ''}\n`,
      );
    });
}

/** Validate everything, then write in one transaction; any problem → exit 2, nothing written. */
export function importDocument(db: DB, document: unknown, options: { replace: boolean; actor: string; where: string }): ImportSummary {
  const validated = validateDump(document);
  if (!validated.ok) throw new ValidationError(validated.problems);
  const { dump } = validated;
  const write = db.transaction(() => {
    const audit = new AuditBatch(db, options.actor);
    if (options.replace) clearContent(db, audit);
    const problems = [...(options.replace ? [] : findConflicts(db, dump)), ...findUnresolved(db, dump)];
    if (problems.length > 0) throw new ValidationError(problems);
    return writeDump(db, dump, audit);
  });
  return write.immediate();
}
