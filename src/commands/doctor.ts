// pops doctor: integrity checks and configuration lint (docs/store.md,
// "doctor"). Exit 1 when anything is found.
import { EXIT } from '../base/errors.js';
import { sanitize } from '../base/sanitize.js';
import { defineCommand, flag } from '../shell/command.js';
import { withReadDb } from '../shell/context.js';
import { findingsOf } from '../store/doctor.js';
import { jsonText } from '../render/output.js';

export default defineCommand({
  name: 'doctor',
  summary: 'check the store and lint the configuration',
  args: [],
  options: { json: flag('--json', 'print the findings as JSON') },
  examples: ['pops doctor', 'pops doctor --json'],
  run(opts, deps) {
    const findings = withReadDb(deps, (db) => findingsOf(db));
    if (opts.json) deps.io.out(`${jsonText(findings)}\n`);
    else {
      for (const finding of findings) deps.io.out(`${finding.kind}: ${sanitize(finding.message)}\n`);
      deps.io.err(findings.length === 0 ? 'pops: no problems found\n' : `pops: ${findings.length} problem${findings.length === 1 ? '' : 's'} found\n`);
    }
    if (findings.length > 0) deps.exitCode = EXIT.differences;
  },
});
