// What the benchmark's store generator (bench/generate.js) uses of the
// product's store code, bundled by `npm run build` as dist/bench-store-kit.cjs.
export { openStore } from '../src/store/open.js';
export { writeDump } from '../src/store/dump.js';
export { AuditBatch } from '../src/store/audit.js';
export { defaultSettings } from '../src/domain/group-settings.js';
