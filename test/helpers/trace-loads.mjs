// Preloaded with `node --import`: appends to $POPS_TRACE_FILE every module a
// pops command loads, ESM imports (through resolve hooks) and CommonJS
// requires (the lazily loaded libraries come in through require) alike.
import fs from 'node:fs';
import Module, { register } from 'node:module';

register(new URL('./trace-imports-hooks.mjs', import.meta.url));

const originalLoad = Module._load;
Module._load = function tracedLoad(request, parent, isMain) {
  const exports = originalLoad.apply(this, arguments);
  if (process.env.POPS_TRACE_FILE) {
    let resolved;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      resolved = request;
    }
    fs.appendFileSync(process.env.POPS_TRACE_FILE, `${resolved.startsWith('/') ? `file://${resolved}` : resolved}\n`);
  }
  return exports;
};
