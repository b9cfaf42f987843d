// pops import <file|-> [--replace]: read the dump as a stream, check every
// part of it, and write it in one transaction that commits only when the whole
// document is good (docs/formats.md, "How import reads a dump").
import { inputChunks } from '../base/input.js';
import { JsonStreamError, JsonStreamReader } from '../base/json-stream.js';
import { UsageError } from '../base/errors.js';
import { plural } from '../base/plural.js';
import { keepYoungGenerationSmall } from '../base/memory.js';
import { arg, defineCommand, flag } from '../shell/command.js';
import { withDbAsync } from '../shell/context.js';
import { path } from '../shell/parsers.js';
import { startImport } from '../store/import-run.js';

export default defineCommand({
  name: 'import',
  summary: 'load a dump (JSON) into the store, all or nothing',
  args: [arg('file', 'the dump to load (JSON), or - for stdin', path)],
  options: { replace: flag('--replace', "replace the store's whole content with the dump") },
  examples: ['pops import practice.json', 'pops import --replace backup.json'],
  async run(opts, deps) {
    const source = opts.file === '-' ? 'stdin' : opts.file;
    const chunks = inputChunks(opts.file, deps.io.stdin);
    // A long stream of short-lived values (docs/performance.md, "Memory").
    keepYoungGenerationSmall();
    const summary = await withDbAsync(deps, async (db) => {
      const run = startImport(db, { replace: opts.replace, actor: deps.actor });
      try {
        const reader = new JsonStreamReader(run);
        try {
          for await (const chunk of chunks) reader.push(chunk);
          reader.end();
        } catch (error) {
          throw error instanceof JsonStreamError ? inputError(error, source) : error;
        }
        return run.finish();
      } finally {
        run.close();
      }
    });
    deps.io.err(
      `pops: imported ${plural(summary.groups, 'group')}, ${plural(summary.accounts, 'account')}, ${plural(summary.encounters, 'encounter')}, ${plural(summary.lines, 'line item')}${opts.replace ? ' (store content replaced)' : ''}\n`,
    );
  },
});

/** A document that cannot be read as JSON: one line naming the input and the place. */
function inputError(error: JsonStreamError, source: string): UsageError {
  switch (error.kind) {
    case 'empty':
      return source === 'stdin'
        ? new UsageError('no input on stdin', 'Pipe the input in (… < file), or name the file instead of -.')
        : new UsageError(`${source}: no JSON in it: the file is empty or blank`);
    case 'encoding':
      return new UsageError(
        `${source}: ${error.message}`,
        'A pops dump is UTF-8 JSON, as pops export writes it; convert a file in another encoding first (from UTF-16: iconv -f UTF-16 -t UTF-8).',
      );
    case 'shape':
      return new UsageError(`${source}: ${error.message}`);
    case 'depth':
      return new UsageError(`${source}: JSON ${error.message}`);
    default:
      return new UsageError(`${source}: ${error.kind === 'syntax' && !error.message.startsWith('malformed') ? 'malformed JSON: ' : ''}${error.message}`);
  }
}
