// npm run demo: build a fresh demo store in .demo/ (git-ignored; never a
// user's store) and show what a patient sees for an account with a
// collection balance in a group that has Show Collections on.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.join(root, '.demo');
const db = path.join(dir, 'demo.db');
fs.mkdirSync(dir, { recursive: true });
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });

const pops = (...args) => {
  process.stderr.write(`\n$ pops ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'pops.js'), '--db', db, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

pops('init', '--demo');
// Account 10004 has a collection balance in Lakeside Pediatrics, which has Show Collections on.
pops('preview', '10004');
// The Pay page of the same account: what the patient can pay online, and what they cannot (docs/portal.md).
pops('preview', '10004', '--page', 'pay');
process.stderr.write(`\nThe demo store is ${path.relative(process.cwd(), db)}; try: node bin/pops.js --db ${path.relative(process.cwd(), db)} --help\n`);
