// A CommonJS require that resolves from this package: for better-sqlite3's
// addon and the libraries loaded on first use (lazy.ts). The bundle gets the
// require it is started with instead (scripts/bundle.js), so that start-up
// does not load node:module for it (docs/performance.md, "Start-up").
import nodeModule from 'node:module';

export const requireHere: NodeJS.Require = nodeModule.createRequire(import.meta.url);
