#!/usr/bin/env node
// Launcher only: the program is dist/pops.cjs, built by `npm run build`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { main } = require('../dist/pops.cjs');

process.exitCode = await main(process.argv.slice(2));
