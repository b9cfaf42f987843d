// pops doctor: integrity checks and configuration lint (SPEC §5). Exit 1 when anything is found.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { withStore } from '../context.js';
import { EXIT } from '../errors.js';
import { findingsOf } from '../store/doctor.js';
import { sanitize } from '../render/sanitize.js';
import { jsonText } from '../render/output.js';

export function define(command: Command, ctx: Context): void {
  command
    .option('--json', 'print the findings as JSON')
    .addHelpText('after', '\nExamples:\n  pops doctor\n  pops doctor --json')
    .action((options: { json?: boolean }) => {
      const findings = withStore(ctx, (db) => findingsOf(db));
      if (options.json) ctx.io.out(`${jsonText(findings)}\n`);
      else {
        for (const finding of findings) ctx.io.out(`${finding.kind}: ${sanitize(finding.message)}\n`);
        ctx.io.err(findings.length === 0 ? 'pops: no problems found\n' : `pops: ${findings.length} problem${findings.length === 1 ? '' : 's'} found\n`);
      }
      if (findings.length > 0) ctx.exitCode = EXIT.differences;
    });
}
