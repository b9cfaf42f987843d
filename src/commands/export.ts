// pops export [--out <file>]: the whole store as a dump.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { withStore } from '../context.js';
import { readDump } from '../store/dump.js';
import { UsageError } from '../errors.js';
import { jsonText } from '../render/output.js';

export function define(command: Command, ctx: Context): void {
  command
    .option('--out <file>', 'write to this file (created 0600) instead of stdout')
    .addHelpText('after', '\nExamples:\n  pops export > backup.json\n  pops export --out backup.json')
    .action((options: { out?: string }) => {
      const document = withStore(ctx, (db) => readDump(db), { readonly: false });
      const text = `${jsonText(document)}\n`;
      if (options.out === undefined) {
        ctx.io.out(text);
        return;
      }
      try {
        // Write beside the target, then rename: a reader never sees half a dump.
        const temporary = `${options.out}.tmp-${process.pid}`;
        fs.writeFileSync(temporary, text, { mode: 0o600 });
        fs.renameSync(temporary, options.out);
      } catch (error) {
        throw new UsageError(`cannot write ${options.out}: ${(error as Error).message}`);
      }
      ctx.io.err(`pops: exported the store to ${options.out}\n`);
    });
}
