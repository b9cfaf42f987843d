// The --json and --csv switches of list commands (and --json of show
// commands), declared and checked in one place.
import { UsageError } from '../base/errors.js';
import { flag } from './command.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export function listOutputOptions(what: string) {
  return {
    json: flag('--json', `print ${what} as a JSON array`),
    csv: flag('--csv', `print ${what} as CSV with a header row`),
  };
}

/** `table` unless --json or --csv (not both: exit 2). */
export function outputFormat(opts: { json: boolean; csv: boolean }): OutputFormat {
  if (opts.json && opts.csv) throw new UsageError('--json and --csv cannot be used together');
  return opts.json ? 'json' : opts.csv ? 'csv' : 'table';
}
