// pops export writes the dump as it reads the store (docs/formats.md, "What
// export writes"): the real binary into pipes that close early, a full disk,
// a FIFO whose reader stops, and Ctrl-C — each ends cleanly, says what
// happened, and leaves neither half a file nor the store's -wal/-shm behind.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv, copyStore, makeStore, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';

const sh = (script: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    env: childEnv({ POPS: `${process.execPath} ${BIN}`, ...env }),
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('pops export, streamed', () => {
  it('into a pipe whose reader stops early: exit 0, quiet, the store closed properly (no -wal, -shm left)', async () => {
    const db = await makeStore({ dump: generateDump(7, 1500) });
    const result = sh(`$POPS --db "$DB" export | head -c 100 > /dev/null; echo "\${PIPESTATUS[0]}"`, { DB: db });
    expect(result.stdout.trim()).toBe('0');
    expect(result.stderr).toBe('');
    expect(fs.existsSync(`${db}-wal`) || fs.existsSync(`${db}-shm`)).toBe(false);
  });

  it('into a full disk behind `>`: one plain line, exit 2', async () => {
    const db = await makeStore({ demo: true });
    const result = sh(`$POPS --db "$DB" export > /dev/full`, { DB: db });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('pops: cannot write the output: no space left on the disk\n');
  });

  it('--out a FIFO whose reader stops early: a warning, never "exported"', async () => {
    const db = await makeStore({ dump: generateDump(8, 1500) });
    const fifo = path.join(tempDir(), 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const result = sh(`head -c 100 "$FIFO" > /dev/null & $POPS --db "$DB" export --out "$FIFO"; echo "exit $?"; wait`, { DB: db, FIFO: fifo });
    expect(result.stdout.trim()).toBe('exit 0');
    expect(result.stderr).toBe(`pops: warning: the reader of ${fifo} stopped before the end: what it got is not the whole dump\n`);
  });

  it('Ctrl-C (SIGINT) part-way through --out: exit 130, the target as before, no temporary file left', async () => {
    const db = copyStore(await makeStore({ dump: generateDump(9, 4000) }));
    const folder = tempDir();
    const out = path.join(folder, 'backup.json');
    fs.writeFileSync(out, 'the previous backup\n');
    const child = spawn(process.execPath, [BIN, '--db', db, 'export', '--out', out], { env: childEnv(), stdio: 'ignore' });
    // Interrupted once the temporary file is being written.
    for (let i = 0; i < 400 && !fs.readdirSync(folder).some((name) => name.startsWith('.pops-')); i += 1) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code === 0) {
      // The export finished before the signal arrived: then the file is whole.
      expect(fs.readFileSync(out, 'utf8')).toMatch(/^\{\n {2}"format": "pops-dump"/);
    } else {
      expect(code).toBe(130);
      expect(fs.readFileSync(out, 'utf8')).toBe('the previous backup\n');
    }
    expect(fs.readdirSync(folder)).toEqual(['backup.json']);
  });
});
