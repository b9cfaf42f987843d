// pops export [--out <file>]: the whole store as a dump (docs/formats.md),
// written as it is read, from one read transaction, in flat memory.
import { checkOutputFile } from '../base/output-file.js';
import { StreamedOutputFile } from '../base/output-stream.js';
import { keepYoungGenerationSmall } from '../base/memory.js';
import { defineCommand, valueOption } from '../shell/command.js';
import { withDbAsync } from '../shell/context.js';
import { storeLocation } from '../base/store-location.js';
import type { SqliteDb } from '../store/db.js';
import { path } from '../shell/parsers.js';
import { readDump } from '../store/dump.js';
import { useSmallCache } from '../store/open.js';
import { dumpText } from '../render/dump-text.js';
import { streamText } from '../render/stream-output.js';

export default defineCommand({
  name: 'export',
  summary: 'write the whole store as a dump',
  args: [],
  options: { out: valueOption('--out <file>', 'write to this file (created 0600) instead of stdout', path) },
  examples: ['pops export > backup.json', 'pops export --out backup.json'],
  async run(opts, deps) {
    // The store's own files are never replaced by a dump; a folder or a missing folder fails before the store is read.
    const onFile = storeLocation(deps.dbPath, deps.dbFrom).kind === 'file';
    const output = {
      protect: onFile ? [deps.dbPath, `${deps.dbPath}-wal`, `${deps.dbPath}-shm`, `${deps.dbPath}-journal`] : [],
      protectReason: 'it is the store itself',
    };
    if (opts.out !== undefined) checkOutputFile(opts.out, output);
    let complete = true;
    // The file is opened before the store is: a FIFO waits for its reader here, holding no read transaction open meanwhile.
    // A file is replaced whole when finished (a reader never sees half a dump); a pipe or /dev/stdout is written into (docs/formats.md).
    const file = opts.out === undefined ? undefined : StreamedOutputFile.open(opts.out, output);
    try {
      await withDbAsync(deps, (db) =>
        db.readAsync(async () => {
          // One pass over the store (docs/performance.md, "Memory").
          if (db.kind === 'sqlite') useSmallCache((db as SqliteDb).raw);
          const { head, accounts } = readDump(db);
          const pieces = dumpText(head, accounts);
          if (file === undefined) return streamText(deps.io.stdout, pieces);
          keepYoungGenerationSmall();
          let written = 0;
          for (const piece of pieces) {
            file.write(piece);
            // Now and then let the event loop run: Ctrl-C (the file's signal handler) is heard mid-export, not after it.
            if ((written += 1) % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
          file.commit();
          complete = !file.readerGone;
        }),
      );
    } finally {
      file?.discard();
    }
    if (opts.out === undefined) return;
    if (complete) deps.io.err(`pops: exported the store to ${opts.out}\n`);
    else deps.io.warn(`the reader of ${opts.out} stopped before the end: what it got is not the whole dump`);
  },
});
