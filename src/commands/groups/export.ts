// pops groups export [--format json|csv]: every group in the format `groups
// apply` reads; applying the export changes nothing (docs/formats.md).
import { APPLY_FORMATS } from '../../domain/apply-format.js';
import { defineCommand, valueOptionWithDefault } from '../../shell/command.js';
import { withDb } from '../../shell/context.js';
import { oneOf } from '../../shell/parsers.js';
import { listGroups } from '../../store/groups.js';
import { groupsExportCsv, groupsExportJson } from '../../render/group-export.js';
import { writeJson } from '../../render/output.js';

export default defineCommand({
  name: 'export',
  summary: 'every group in the format groups apply reads (JSON or CSV)',
  args: [],
  options: {
    format: valueOptionWithDefault('--format <format>', 'json or csv', oneOf(APPLY_FORMATS), 'json', 'json', APPLY_FORMATS),
  },
  notes:
    'Every setting of every group, sorted by name. In CSV, on/off settings read on\nor off and an unset optional setting reads - (which apply reads as "clear").',
  examples: ['pops groups export > groups.json', 'pops groups export --format csv > groups.csv'],
  run(opts, deps) {
    const groups = withDb(deps, (db) => listGroups(db));
    if (opts.format === 'json') {
      writeJson(deps.io, groupsExportJson(groups));
      return;
    }
    const { text, warnings } = groupsExportCsv(groups);
    for (const warning of warnings) deps.io.warn(warning);
    deps.io.out(text);
  },
});
