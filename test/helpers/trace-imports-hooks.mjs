// Module resolution hooks that append every resolved URL to $POPS_TRACE_FILE:
// lets a test see which modules a pops command loaded.
import fs from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (process.env.POPS_TRACE_FILE) fs.appendFileSync(process.env.POPS_TRACE_FILE, `${result.url}\n`);
  return result;
}
