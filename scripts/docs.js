// npm run docs: writes docs/commands.md, the command reference, from the
// command tree of the built program (dist/pops.cjs). A test fails when the
// file in the repository differs from what this writes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { reference } = createRequire(import.meta.url)(path.join(root, 'dist', 'pops.cjs'));
const target = path.join(root, 'docs', 'commands.md');
fs.writeFileSync(target, reference());
console.log(`wrote ${path.relative(root, target)}`);
