// pops export [--out <file>]: the whole store as a dump (docs/formats.md).
import fs from 'node:fs';
import { UsageError } from '../base/errors.js';
import { defineCommand, valueOption } from '../shell/command.js';
import { withStore } from '../shell/context.js';
import { path } from '../shell/parsers.js';
import { readDump } from '../store/dump.js';
import { jsonText } from '../render/output.js';

export default defineCommand({
  name: 'export',
  summary: 'write the whole store as a dump',
  args: [],
  options: { out: valueOption('--out <file>', 'write to this file (created 0600) instead of stdout', path) },
  examples: ['pops export > backup.json', 'pops export --out backup.json'],
  run(opts, deps) {
    const document = withStore(deps, (db) => readDump(db), { readonly: false });
    const text = `${jsonText(document)}\n`;
    if (opts.out === undefined) {
      deps.io.out(text);
      return;
    }
    try {
      // Write beside the target, then rename: a reader never sees half a dump.
      const temporary = `${opts.out}.tmp-${process.pid}`;
      fs.writeFileSync(temporary, text, { mode: 0o600 });
      fs.renameSync(temporary, opts.out);
    } catch (error) {
      throw new UsageError(`cannot write ${opts.out}: ${(error as Error).message}`);
    }
    deps.io.err(`pops: exported the store to ${opts.out}\n`);
  },
});
