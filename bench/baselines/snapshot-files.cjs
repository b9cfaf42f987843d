// node bench/baselines/snapshot-files.cjs <manifest.json> <dir>
//
// The write half of the snapshot floor (docs/performance.md, "Baselines"): a
// minimal Node script that writes the same files `pops preview --all --out`
// writes — the same folders (0700) and file names (0600), each file of the
// same size — into a fresh <dir>. The manifest, [[relative path, bytes], …]
// in the order pops lists them, is taken by bench/run.js from an untimed pops
// run. The bytes are a filler, not pages: rendering is pops's own work; this
// is what writing the pages costs at the least (no temporary files, no
// renames, one thread).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [manifest, dir] = process.argv.slice(2);
const files = JSON.parse(fs.readFileSync(manifest, 'utf8'));
fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
const made = new Set();
let filler = Buffer.alloc(0);
for (const [relative, bytes] of files) {
  const folder = path.dirname(relative);
  if (!made.has(folder)) {
    fs.mkdirSync(path.join(dir, folder), { recursive: true, mode: 0o700 });
    made.add(folder);
  }
  if (filler.length < bytes) filler = Buffer.alloc(bytes * 2, 0x20);
  fs.writeFileSync(path.join(dir, relative), filler.subarray(0, bytes), { mode: 0o600 });
}
