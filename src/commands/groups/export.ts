// pops groups export [--format json|csv]: every group in the format `groups apply`
// reads; applying the export changes nothing (SPEC §6).
import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { APPLY_FORMATS, type ApplyFormat } from '../../domain/apply-format.js';
import { listGroups } from '../../store/groups.js';
import { groupsExportCsv, groupsExportJson } from '../../render/group-export.js';
import { writeJson } from '../../render/output.js';

export function define(command: Command, ctx: Context): void {
  command
    .addOption(new Option('--format <format>', 'json or csv').choices(APPLY_FORMATS).default('json'))
    .addHelpText(
      'after',
      `
Every setting of every group, sorted by name. In CSV, on/off settings read on
or off and an unset optional setting reads - (which apply reads as "clear").

Examples:
  pops groups export > groups.json
  pops groups export --format csv > groups.csv`,
    )
    .action((options: { format: ApplyFormat }) => {
      const groups = withStore(ctx, (db) => listGroups(db));
      if (options.format === 'json') {
        writeJson(ctx.io, groupsExportJson(groups));
        return;
      }
      const { text, warnings } = groupsExportCsv(groups);
      for (const warning of warnings) ctx.io.warn(warning);
      ctx.io.out(text);
    });
}
