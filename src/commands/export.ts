// pops export [--out <file>]: the whole store as a dump (docs/formats.md).
import { checkOutputFile, writeOutputFile } from '../base/output-file.js';
import { defineCommand, valueOption } from '../shell/command.js';
import { withReadTransaction } from '../shell/context.js';
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
    // The store's own files are never replaced by a dump; a folder or a missing folder fails before the store is read.
    const output = { protect: [deps.dbPath, `${deps.dbPath}-wal`, `${deps.dbPath}-shm`], protectReason: 'it is the store itself' };
    if (opts.out !== undefined) checkOutputFile(opts.out, output);
    const document = withReadTransaction(deps, (db) => readDump(db));
    const text = `${jsonText(document)}\n`;
    if (opts.out === undefined) {
      deps.io.out(text);
      return;
    }
    // A file is replaced whole (a reader never sees half a dump); a pipe or /dev/stdout is written into (docs/formats.md).
    writeOutputFile(opts.out, text, output);
    deps.io.err(`pops: exported the store to ${opts.out}\n`);
  },
});
