// The file format of `groups apply`, which `groups export` also writes (docs/commands.md
// "Bulk apply"). Kept free of validation imports so that export does not load
// zod or the phone metadata (docs/performance.md).
import { UsageError } from '../base/errors.js';
import { GROUP_SETTINGS } from './group-settings.js';

export type ApplyFormat = 'json' | 'csv';
export const APPLY_FORMATS: readonly ApplyFormat[] = ['json', 'csv'];

/** A CSV cell of exactly this clears a nullable setting; an empty cell leaves a setting unchanged. */
export const CLEAR_CELL = '-';

/** The CSV header `groups export` writes: `name`, then every setting in catalogue order. */
export const APPLY_CSV_COLUMNS: readonly string[] = ['name', ...GROUP_SETTINGS.map((s) => s.key)];

/** `--format` if given, else the file's extension; stdin (`-`) has none, so it needs `--format`. */
export function resolveApplyFormat(file: string, option: ApplyFormat | undefined): ApplyFormat {
  if (option) return option;
  if (file === '-') throw new UsageError('reading stdin (-) needs --format json or --format csv');
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === 'json' || extension === 'csv') return extension;
  throw new UsageError(`cannot tell the format of ${file} from its name`, 'Name it *.json or *.csv, or pass --format json or --format csv.');
}
