// Writing the files pops is asked to write: `export --out` and snapshot pages
// (docs/formats.md, "Output files"). A regular file, or a name that does not
// exist yet, is replaced atomically: written to a temporary file in the same
// folder, made 0600, then renamed over it. A symbolic link is followed and its
// target written. A FIFO, a character device or a descriptor path
// (/dev/stdout, /dev/fd/N, a shell's `>(…)`) is written into, never replaced.
// Every failure is a UsageError in plain words; no temporary file is left.
import { lazyModule } from './lazy.js';

// Loaded when a file is first written (start-up, docs/performance.md).
const crypto = lazyModule<typeof import('node:crypto')>('node:crypto');
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

/** Where the bytes for a path go once links are followed. */
export type OutputTarget =
  /** A regular file, or none yet: replaced by renaming a finished temporary file over it. */
  | { kind: 'replace'; path: string }
  /** A FIFO, a character device or an open descriptor: written into, never replaced. */
  | { kind: 'direct'; path: string };

/** `/proc/<pid>/fd/<n>`, where /dev/stdout and /dev/fd/N lead on Linux. */
const DESCRIPTOR = /^\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/fd\/\d+$/;
const MAX_LINKS = 40;

/**
 * What writing `target` means, following symbolic links (a dangling link
 * names the file to create). A folder, a socket or a block device is refused.
 * `realFolders` caches resolved folders across the calls of one run.
 */
export function outputTarget(target: string, realFolders: Map<string, string> = new Map()): OutputTarget {
  if (target === '') throw new UsageError('expected a file path, got an empty value');
  if (target.endsWith('/')) throw cannotWrite(target, 'it names a folder');
  let current = path.resolve(target);
  for (let links = 0; links <= MAX_LINKS; links += 1) {
    current = path.join(realFolder(path.dirname(current), target, realFolders), path.basename(current));
    if (DESCRIPTOR.test(current)) return { kind: 'direct', path: current };
    let stat: fs.Stats | undefined;
    try {
      // No exception for a missing file: most targets of a snapshot run do not exist yet, and exceptions are slow.
      stat = fs.lstatSync(current, { throwIfNoEntry: false });
    } catch (error) {
      throw cannotWrite(target, plainReason(error));
    }
    if (stat === undefined) return { kind: 'replace', path: current };
    if (stat.isSymbolicLink()) {
      current = path.resolve(path.dirname(current), readLink(current, target));
      continue;
    }
    if (stat.isFile()) return { kind: 'replace', path: current };
    if (stat.isDirectory()) throw cannotWrite(target, 'it is a folder');
    if (stat.isFIFO() || stat.isCharacterDevice()) return { kind: 'direct', path: current };
    throw cannotWrite(target, 'it is not a file, a pipe or a terminal');
  }
  throw cannotWrite(target, 'too many symbolic links');
}

function readLink(link: string, target: string): string {
  try {
    return fs.readlinkSync(link);
  } catch (error) {
    throw cannotWrite(target, plainReason(error));
  }
}

function realFolder(folder: string, target: string, cache: Map<string, string>): string {
  let real = cache.get(folder);
  if (real === undefined) {
    try {
      real = fs.realpathSync.native(folder);
    } catch (error) {
      throw cannotWrite(target, errorCode(error) === 'ENOENT' ? 'its folder does not exist' : plainReason(error));
    }
    cache.set(folder, real);
  }
  return real;
}

/** One file or folder of a set: its temporary file or folder, or (written directly) its content. */
export interface StagedFile {
  /** The path as the user gave it, for messages. */
  target: string;
  /** Where the bytes go: the file or folder to make or replace, or the pipe, device or descriptor to write into. */
  path: string;
  /** The finished temporary file or folder beside `path`, renamed over it on commit. */
  temporary?: string;
  /** For a direct target: what commit writes into it. */
  content?: string | Uint8Array;
  /** A whole folder staged (`stageFolder`). */
  folder?: true;
}

/**
 * A set of output files written all or nothing: `stage` writes each to a
 * temporary file (0600) beside its target, `commit` renames them all into
 * place, `discard` removes them. A folder that does not exist yet can be
 * staged whole (`stageFolder`): its files are written into a temporary folder
 * that commit renames into place, one rename for all of them. Temporary names
 * start with `.pops-<run>-` and end in `.tmp`; the threads of one run share
 * the run's name (each with its own `part`), so the run can sweep up after
 * all of them.
 */
export class StagedFiles {
  readonly run: string;
  private readonly prefix: string;
  private readonly files: StagedFile[] = [];
  private readonly folders = new Set<string>();
  private readonly realFolders = new Map<string, string>();
  private serial = 0;

  constructor(run = `${process.pid}-${crypto().randomBytes(4).toString('hex')}`, part?: string) {
    this.run = run;
    this.prefix = `${TEMPORARY_PREFIX}${run}-${part === undefined ? '' : `${part}-`}`;
  }

  get staged(): readonly StagedFile[] {
    return this.files;
  }

  /** Write `content` for `target` to a temporary file (nothing is replaced yet). */
  stage(target: string, content: string | Uint8Array): void {
    const where = outputTarget(target, this.realFolders);
    if (where.kind === 'direct') {
      this.files.push({ target, path: where.path, content });
      return;
    }
    const temporary = path.join(path.dirname(where.path), `${this.prefix}${(this.serial += 1)}.tmp`);
    writeNewFile(temporary, target, content);
    this.files.push({ target, path: where.path, temporary });
  }

  /**
   * Stage `folder`, which must not exist, as a whole: returns the temporary
   * folder (0700) to write its files into with `stageInto`. Every thread of
   * the run gets the same temporary folder for the same `folder`.
   */
  stageFolder(folder: string): string {
    const temporary = path.join(path.dirname(folder), `${TEMPORARY_PREFIX}${this.run}-folder-${path.basename(folder)}.tmp`);
    if (!this.folders.has(temporary)) {
      try {
        fs.mkdirSync(temporary, { mode: 0o700 });
        // The mode asked of mkdir() is narrowed by the umask (277 would leave 0500, where no page can be written): make it exactly 0700.
        fs.chmodSync(temporary, 0o700);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw cannotWrite(folder, plainReason(error));
      }
      this.folders.add(temporary);
      this.files.push({ target: folder, path: folder, temporary, folder: true });
    }
    return temporary;
  }

  /** Write `content` as the file of `target`'s name in a folder from `stageFolder`. */
  stageInto(temporaryFolder: string, target: string, content: string | Uint8Array): void {
    writeNewFile(path.join(temporaryFolder, path.basename(target)), target, content);
  }

  /** Take over files another thread of the same run staged. */
  adopt(files: readonly StagedFile[]): void {
    for (const file of files) {
      if (file.folder) {
        // Threads share a staged folder: it is renamed once.
        if (this.folders.has(file.temporary!)) continue;
        this.folders.add(file.temporary!);
      }
      this.files.push(file);
    }
  }

  /** Rename everything into place and write the direct targets; on a failure the rest are removed. */
  commit(): void {
    let next = 0;
    try {
      for (; next < this.files.length; next += 1) {
        const file = this.files[next];
        if (file.temporary !== undefined) fs.renameSync(file.temporary, file.path);
        else writeInto(file.path, file.content ?? '');
      }
    } catch (error) {
      const failed = this.files[next];
      this.files.splice(0, next);
      this.discard();
      throw cannotWrite(failed.target, plainReason(error));
    }
    this.files.length = 0;
    this.folders.clear();
  }

  /** Remove every temporary file and folder not yet renamed. */
  discard(): void {
    for (const file of this.files) if (file.temporary !== undefined) removeQuietly(file.temporary);
    this.files.length = 0;
    this.folders.clear();
  }
}

export const TEMPORARY_PREFIX = '.pops-';

/**
 * Whether open() gives a new file exactly the 0600 it asks for: true unless
 * the umask takes away the owner's read or write. Learned from the first file
 * made (one fstat); until then, and when it does not, every file is set to
 * 0600 after it is opened (a call per file that ten thousand snapshot pages
 * notice, docs/performance.md "Snapshots").
 */
let openGives0600: boolean | undefined;

/** Create `file` (it must not exist), write `content`, make it 0600; on a failure remove it and name `target`. */
function writeNewFile(file: string, target: string, content: string | Uint8Array): void {
  let opened = false;
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    opened = true;
    try {
      fs.writeFileSync(fd, content);
      // The mode asked of open() is narrowed by the umask: make it exactly 0600.
      if (openGives0600 === undefined) openGives0600 = (fs.fstatSync(fd).mode & 0o777) === 0o600;
      if (!openGives0600) fs.fchmodSync(fd, 0o600);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (opened) removeQuietly(file);
    throw cannotWrite(target, plainReason(error));
  }
}

/** Whether `name` is a temporary file or folder of run `run`, of any of its threads (see StagedFiles). */
export function isTemporaryOf(name: string, run: string): boolean {
  return name.startsWith(`${TEMPORARY_PREFIX}${run}-`) && name.endsWith('.tmp');
}

export interface OutputFileOptions {
  /** Files never to be written, however they are named (the store and its -wal and -shm files). */
  protect?: readonly string[];
  /** Why, for the message: `cannot write <target>: <reason>`. */
  protectReason?: string;
}

/** Refuse now what writing `target` would refuse later (a folder, a missing folder, a protected file). */
export function checkOutputFile(target: string, options: OutputFileOptions = {}): void {
  const where = outputTarget(target);
  if (options.protect?.some((file) => sameFile(file, where.path))) throw cannotWrite(target, options.protectReason ?? 'it must not be replaced');
}

/** Write one output file (see the top of this file). */
export function writeOutputFile(target: string, content: string, options: OutputFileOptions = {}): void {
  checkOutputFile(target, options);
  const files = new StagedFiles();
  try {
    files.stage(target, content);
    files.commit();
  } finally {
    files.discard();
  }
}

/** Whether `file` (which may not exist) is `resolved`, the end of outputTarget. */
function sameFile(file: string, resolved: string): boolean {
  try {
    return outputTarget(file).path === resolved;
  } catch {
    return false;
  }
}

/**
 * Into a pipe, device or descriptor, appending where it is a regular file
 * behind a descriptor (`>>`). A reader that goes away early (`| head`) ends
 * the write quietly, as it does for stdout.
 */
function writeInto(target: string, content: string | Uint8Array): void {
  let fd: number;
  try {
    fd = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_APPEND);
  } catch (error) {
    // A socket behind a descriptor cannot be opened again (a parent process's stdout often is one): use our own descriptor.
    const own = ownDescriptor(target);
    if (errorCode(error) === 'ENXIO' && own !== undefined) return void writeToDescriptor(own, content);
    throw error;
  }
  try {
    fs.writeFileSync(fd, content);
  } catch (error) {
    if (errorCode(error) !== 'EPIPE') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** N, when `target` is /proc/<this process>/fd/N (or a thread's of it). */
export function ownDescriptor(target: string): number | undefined {
  const match = /^\/proc\/(\d+)(?:\/task\/\d+)?\/fd\/(\d+)$/.exec(target);
  return match !== null && Number(match[1]) === process.pid ? Number(match[2]) : undefined;
}

/** Write all of `content` to an open descriptor, waiting while a non-blocking one is full. */
export function writeToDescriptor(fd: number, content: string | Uint8Array): 'written' | 'reader gone' {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      if (errorCode(error) === 'EPIPE') return 'reader gone';
      if (errorCode(error) !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
  return 'written';
}

/** Remove a temporary file, or a temporary folder with what is in it. */
export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { recursive: true, force: true });
  } catch {
    // its folder went away: nothing left to clean
  }
}

export function cannotWrite(target: string, reason: string): UsageError {
  return new UsageError(`cannot write ${target}: ${reason}`);
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  ENOENT: 'its folder does not exist',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be too large',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'the disk reported an input/output error',
  ENXIO: 'it is a socket',
};

/** Why a write failed, in words (no system call names, no temporary file names). */
export function plainReason(error: unknown): string {
  const code = errorCode(error);
  return (code !== undefined && REASONS[code]) || `it could not be written${code !== undefined ? ` (${code})` : ''}`;
}
