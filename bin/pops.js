#!/usr/bin/env node
// Launcher only: everything lives in the compiled dist/cli.js.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
