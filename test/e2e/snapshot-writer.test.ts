// The writer thread of a large snapshot set (docs/performance.md,
// "Snapshots"): a set of 500 pages or more, `preview --all --out` hands its
// pages to a second thread, which stages them as the rendering thread would (a
// new group folder whole, an existing page beside itself, 0600, links
// followed, FIFOs written into). The thread exists only in the bundle: these
// tests run the real binary on 2,500 accounts, so most pages are the writer's.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { BIN, childEnv, copyStore, makeStore, pops, popsBinary, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { snapshotPath } from '../../src/render/snapshots.js';

const COUNT = 2500;
const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** Every entry under `dir` (hidden ones too), by relative path: a file's content, else `folder`/`other`. */
function entries(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    found.set(path.relative(dir, full), entry.isFile() ? fs.readFileSync(full, 'utf8') : entry.isDirectory() ? 'folder' : 'other');
  }
  return found;
}

/** The relative paths under `dir` of files that are not 0600. */
function not0600(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && mode(path.join(entry.parentPath, entry.name)) !== 0o600)
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** How many entries a folder holds; 0 once it is gone (renamed into place). */
function filesIn(folder: string): number {
  try {
    return fs.readdirSync(folder).length;
  } catch {
    return 0;
  }
}

const hidden = (found: Map<string, string>): string[] => [...found.keys()].filter((relative) => relative.split(path.sep).some((part) => part.startsWith('.')));

describe('preview --all --out with a writer thread', () => {
  const dump = generateDump(20_261_205, COUNT);
  /** The group with the most accounts in the dump: its name and how many. */
  const largestGroup = (): [string, number] => {
    const counts = new Map<string, number>();
    for (const account of dump.accounts as { group: string }[]) counts.set(account.group, (counts.get(account.group) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0];
  };
  const pageOf = (index: number): string => snapshotPath({ id: 0, name: dump.accounts[index].group }, dump.accounts[index].accountNumber);
  let template: string;
  /** A fresh set of the template, written by the binary. */
  let reference: Map<string, string>;
  beforeAll(async () => {
    template = await makeStore({ dump });
    const dir = path.join(tempDir(), 'reference');
    const result = popsBinary(['--db', template, 'preview', '--all', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote ${COUNT} snapshots to ${dir} (written by a second thread)`);
    reference = entries(dir);
  }, 120_000);

  it('writes the pages one thread writes, each 0600, and no temporary file', async () => {
    // In this process pops runs from the sources: one thread stages every page.
    const dir = path.join(tempDir(), 'single');
    const one = await pops(['--db', template, 'preview', '--all', '--out', dir]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).not.toContain('second thread');
    expect(entries(dir)).toEqual(reference);
    expect(reference.size).toBe(COUNT + new Set(dump.accounts.map((a: { group: string }) => a.group)).size);
    expect(hidden(reference)).toEqual([]);
  });

  it('--group: the second thread reads that group only, and its pages are those of the whole set', () => {
    const [name, count] = largestGroup();
    expect(count, 'enough pages for the second thread').toBeGreaterThanOrEqual(500);
    const dir = path.join(tempDir(), 'group');
    const result = popsBinary(['--db', template, 'preview', '--all', '--group', name, '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote ${count} snapshots to ${dir} (written by a second thread)`);
    const folder = path.dirname(snapshotPath({ id: 0, name }, '1'));
    expect(entries(dir)).toEqual(new Map([...reference].filter(([relative]) => relative === folder || relative.startsWith(`${folder}${path.sep}`))));
  });

  it('a second thread that dies as it starts: one line, exit 70, no folder made', () => {
    // A copy of the program whose helper thread ends with exit code 3 as it starts.
    const install = tempDir('pops-install-');
    const root = path.dirname(path.dirname(BIN));
    for (const part of ['bin', 'dist']) fs.cpSync(path.join(root, part), path.join(install, part), { recursive: true });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(install, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(install, 'node_modules'));
    const worker = path.join(install, 'dist', 'snapshot-worker.cjs');
    fs.writeFileSync(worker, `process.exit(3);\n${fs.readFileSync(worker, 'utf8')}`);
    const dir = path.join(tempDir(), 'dead-helper');
    const result = spawnSync(process.execPath, [path.join(install, 'bin', 'pops.js'), '--db', template, 'preview', '--all', '--out', dir], {
      env: childEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(70);
    expect(result.stderr.split('\n')[0]).toBe('pops: internal error: the snapshot helper thread stopped early (exit code 3)');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('written again over the same folder: every page replaced beside itself, the bytes of a fresh set, 0600, no temporary file', () => {
    const db = copyStore(template);
    const dir = path.join(tempDir(), 'again');
    expect(popsBinary(['--db', db, 'preview', '--all', '--out', dir]).code).toBe(0);
    // Every page changes; one old page is 0644.
    const handle = new Database(db);
    handle.prepare("UPDATE groups SET footer_text = 'Open on Saturdays'").run();
    handle.close();
    fs.chmodSync(path.join(dir, pageOf(COUNT - 1)), 0o644);
    const again = popsBinary(['--db', db, 'preview', '--all', '--out', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('(written by a second thread)');
    const fresh = path.join(tempDir(), 'fresh');
    expect(popsBinary(['--db', db, 'preview', '--all', '--out', fresh]).code).toBe(0);
    const rewritten = entries(dir);
    expect(rewritten).toEqual(entries(fresh));
    expect(rewritten.get(pageOf(COUNT - 1))).toContain('Open on Saturdays');
    expect(not0600(dir)).toEqual([]);
  });

  it("every page is exactly 0600 and every folder 0700 under a umask that takes the owner's write away (umask 277)", () => {
    const dir = path.join(tempDir(), 'umask');
    const result = spawnSync('sh', ['-c', 'umask 277 && exec "$0" "$@"', process.execPath, BIN, '--db', template, 'preview', '--all', '--out', dir], {
      env: childEnv(),
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(entries(dir)).toEqual(reference);
    expect(not0600(dir)).toEqual([]);
    // A folder of 0500 (what the umask leaves of 0700) would let nobody but root write a page into it.
    const folders = ['.', ...fs.readdirSync(dir).filter((name) => fs.statSync(path.join(dir, name)).isDirectory())];
    expect(folders.map((f) => [f, (fs.statSync(path.join(dir, f)).mode & 0o777).toString(8)]).filter(([, mode]) => mode !== '700')).toEqual([]);
  });

  it('a page of the writer thread that is a link: the link stays and its target is written; one that is a FIFO is written into', async () => {
    const dir = path.join(tempDir(), 'special');
    const elsewhere = tempDir();
    const linked = path.join(dir, pageOf(COUNT - 1));
    const target = path.join(elsewhere, 'last-page.txt');
    fs.mkdirSync(path.dirname(linked), { recursive: true });
    fs.writeFileSync(target, 'old page');
    fs.symlinkSync(target, linked);
    const fifo = path.join(dir, pageOf(COUNT - 2));
    fs.mkdirSync(path.dirname(fifo), { recursive: true });
    expect(spawnSync('mkfifo', ['-m', '600', fifo]).status).toBe(0);
    const received = path.join(tempDir(), 'received.txt');
    const reader = spawn('sh', ['-c', 'cat "$0" > "$1"', fifo, received], { stdio: 'ignore' });
    const readerDone = new Promise((resolve) => reader.once('exit', resolve));

    const result = popsBinary(['--db', template, 'preview', '--all', '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readerDone).toBe(0);
    expect(fs.lstatSync(linked).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe(reference.get(pageOf(COUNT - 1)));
    expect(mode(target)).toBe(0o600);
    expect(fs.readdirSync(elsewhere)).toEqual(['last-page.txt']);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.readFileSync(received, 'utf8')).toBe(reference.get(pageOf(COUNT - 2)));
  });

  it('killed while the writer thread stages pages: no page shows under its name unless complete', async () => {
    for (const stagedBeforeKill of [1, 1200]) {
      const dir = path.join(tempDir(), 'killed');
      fs.mkdirSync(dir);
      const child = spawn(process.execPath, [BIN, '--db', template, 'preview', '--all', '--out', dir], { env: childEnv(), stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Wait until the run has staged that many pages in its temporary folders (or has finished), then kill it.
      const staged = (): number => fs.readdirSync(dir).reduce((sum, name) => sum + (name.startsWith('.pops-') ? filesIn(path.join(dir, name)) : 0), 0);
      while (child.exitCode === null && staged() < stagedBeforeKill) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGKILL');
      await exited;
      const left = entries(dir);
      for (const [relative, content] of left) {
        if (hidden(new Map([[relative, content]])).length > 0) continue;
        expect(content, relative).toBe(reference.get(relative));
      }
    }
  }, 60_000);

  it('Ctrl-C, a kill or a closed terminal mid-run: exit 128+signal, the folder exactly as it was, no temporary file left', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      for (const fresh of [true, false]) {
        const dir = path.join(tempDir(), 'interrupted');
        if (!fresh) expect(popsBinary(['--db', template, 'preview', '--all', '--out', dir, '--width', '60']).code).toBe(0);
        else fs.mkdirSync(dir);
        const before = entries(dir);
        const child = spawn(process.execPath, [BIN, '--db', template, 'preview', '--all', '--out', dir], { env: childEnv(), stdio: 'ignore' });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
        // Once the run has staged some pages in temporary files (or has finished), interrupt it.
        // Names only: a temporary entry can be renamed away between listing and reading it.
        const staging = (): boolean => {
          try {
            return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((relative) => relative.split(path.sep).some((part) => part.startsWith('.')));
          } catch {
            return true; // a temporary folder went away while it was listed: the run is staging
          }
        };
        while (child.exitCode === null && !staging()) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(child.exitCode, 'the run ended before it staged a page').toBeNull();
        child.kill(signal);
        const exitCode = await exited;
        expect(exitCode, `${signal}, ${fresh ? 'a new folder' : 'over a set'}`).toBe(code);
        expect(entries(dir), `${signal}, ${fresh ? 'a new folder' : 'over a set'}`).toEqual(before);
      }
    }
  }, 120_000);

  it('Ctrl-C after the last page is rendered, while the writer thread stages the last ones: exit 130, the folder as it was', async () => {
    // Every page (6 views): the writer thread stages several batches behind the rendering, so that once most
    // pages are staged the rendering thread has rendered them all and only waits for the writer. The pages
    // staged are counted in the largest group's folder alone (its share of the set), which costs little to
    // list. A signal counts until the renames begin (docs/formats.md, "One state, all or nothing"): on a busy
    // machine the count can come too late, as the renames begin or once the run has ended, so each case has
    // three tries and one of them must stop the run; a try that came too late must have put the whole set in place.
    const [name, count] = largestGroup();
    const folder = path.dirname(snapshotPath({ id: 0, name }, '1'));
    const groupPages = count * 6;
    for (const fresh of [true, false]) {
      let stopped = 0;
      for (let attempt = 0; attempt < 3 && stopped === 0; attempt += 1) {
        const dir = path.join(tempDir(), 'late');
        if (!fresh) expect(popsBinary(['--db', template, 'preview', '--all', '--pages', 'all', '--out', dir, '--width', '60']).code).toBe(0);
        else fs.mkdirSync(dir);
        const before = entries(dir);
        const child = spawn(process.execPath, [BIN, '--db', template, 'preview', '--all', '--pages', 'all', '--out', dir], {
          env: childEnv(),
          stdio: 'ignore',
        });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
        // The group's pages staged so far: in a new folder the hidden folder the group is staged in, over a set the hidden files beside its pages.
        const staged = (): number => {
          if (!fresh) return fs.readdirSync(path.join(dir, folder)).filter((file) => file.startsWith('.')).length;
          const staging = fs.readdirSync(dir).find((entry) => entry.startsWith('.') && entry.endsWith(`-folder-${folder}.tmp`));
          return staging === undefined ? 0 : filesIn(path.join(dir, staging));
        };
        while (child.exitCode === null && staged() < 0.97 * groupPages) await new Promise((resolve) => setTimeout(resolve, 2));
        // On a busy machine the run can also end between two counts: that try came too late as well.
        if (child.exitCode === null) child.kill('SIGINT');
        const exitCode = await exited;
        const left = entries(dir);
        if (exitCode === 130) {
          expect(left, fresh ? 'a new folder' : 'over a set').toEqual(before);
          stopped += 1;
        } else {
          expect(exitCode, `${fresh ? 'a new folder' : 'over a set'}: stopped, or too late and complete`).toBe(0);
          expect(hidden(left), 'too late: no temporary entry left').toEqual([]);
          expect(
            [...left.values()].filter((content) => content !== 'folder'),
            'too late: every page in place',
          ).toHaveLength(COUNT * 6);
        }
      }
      expect(stopped, fresh ? 'a new folder: runs stopped' : 'over a set: runs stopped').toBe(1);
    }
  }, 180_000);
});
