// pops import <file|-> [--replace]: validate the whole dump, then write it in
// one transaction (docs/formats.md, "The dump").
import { parseJsonInput, readTextInput } from '../base/input.js';
import { plural } from '../base/plural.js';
import { arg, defineCommand, flag } from '../shell/command.js';
import { withStore } from '../shell/context.js';
import { path } from '../shell/parsers.js';
import { importDocument } from '../store/dump.js';

export default defineCommand({
  name: 'import',
  summary: 'load a dump (JSON) into the store, all or nothing',
  args: [arg('file', 'the dump to load (JSON), or - for stdin', path)],
  options: { replace: flag('--replace', "replace the store's whole content with the dump") },
  examples: ['pops import practice.json', 'pops import --replace backup.json'],
  async run(opts, deps) {
    const text = await readTextInput(opts.file, deps.io.stdin);
    const document = parseJsonInput(text, opts.file === '-' ? 'stdin' : opts.file);
    const summary = withStore(deps, (db) => importDocument(db, document, { replace: opts.replace, actor: deps.actor }));
    deps.io.err(
      `pops: imported ${plural(summary.groups, 'group')}, ${plural(summary.accounts, 'account')}, ${plural(summary.encounters, 'encounter')}, ${plural(summary.lines, 'line item')}${opts.replace ? ' (store content replaced)' : ''}\n`,
    );
  },
});
