// One output file written as it is made, for outputs of any size (`export
// --out`): the same targets and rules as output-file.ts (docs/formats.md,
// "Output files"), written a piece at a time instead of whole.
import fs from 'node:fs';
import path from 'node:path';
import { lazyModule } from './lazy.js';
import { exitCodeOf, whenInterrupted } from './interruptions.js';
import {
  TEMPORARY_PREFIX,
  cannotWrite,
  checkOutputFile,
  errorCode,
  outputTarget,
  ownDescriptor,
  plainReason,
  removeQuietly,
  writeToDescriptor,
  type OutputFileOptions,
  type OutputTarget,
} from './output-file.js';

// Loaded when a file is first written (start-up, docs/performance.md).
const crypto = lazyModule<typeof import('node:crypto')>('node:crypto');

/**
 * One output file written as it is made (`export --out`, of any size): into a
 * temporary file beside it that `commit` renames over it, so a reader — or a
 * kill — never finds half a file there; or, for a pipe, device or descriptor,
 * straight into it. Writes are gathered into ~64 KiB pieces.
 */
export class StreamedOutputFile {
  private parts: string[] = [];
  private size = 0;
  private fd: number | undefined;
  private ownFd = true;
  private temporary: string | undefined;
  /** A pipe whose reader went away: the rest is not worth writing. */
  private closed = false;
  /** Removes the temporary file when the run is interrupted (Ctrl-C, kill, a closed terminal). */
  private stopListening: (() => void) | undefined;

  private constructor(
    private readonly target: string,
    private readonly where: OutputTarget,
  ) {}

  static open(target: string, options: OutputFileOptions = {}): StreamedOutputFile {
    checkOutputFile(target, options);
    const file = new StreamedOutputFile(target, outputTarget(target));
    file.openTarget();
    return file;
  }

  private openTarget(): void {
    const where = this.where;
    try {
      if (where.kind === 'replace') {
        const temporary = path.join(path.dirname(where.path), `${TEMPORARY_PREFIX}${process.pid}-${crypto().randomBytes(4).toString('hex')}-1.tmp`);
        // The handler first, so that an interruption at any moment after the file exists removes it.
        this.stopListening = whenInterrupted((signal) => {
          this.discard();
          process.exit(exitCodeOf(signal));
        });
        this.fd = fs.openSync(temporary, 'wx', 0o600);
        this.temporary = temporary;
        if ((fs.fstatSync(this.fd).mode & 0o777) !== 0o600) fs.fchmodSync(this.fd, 0o600);
        return;
      }
      try {
        this.fd = fs.openSync(where.path, fs.constants.O_WRONLY | fs.constants.O_APPEND);
      } catch (error) {
        // A socket behind a descriptor cannot be opened again (a parent process's stdout often is one): use our own descriptor.
        const own = ownDescriptor(where.path);
        if (errorCode(error) !== 'ENXIO' || own === undefined) throw error;
        this.fd = own;
        this.ownFd = false;
      }
    } catch (error) {
      this.discard();
      throw cannotWrite(this.target, plainReason(error));
    }
  }

  /** The reader of a pipe went away before the end: what it got is not the whole output. */
  get readerGone(): boolean {
    return this.closed;
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.size === 0) return;
    const content = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.closed) return;
    try {
      if (writeToDescriptor(this.fd!, content) === 'reader gone') this.closed = true;
    } catch (error) {
      const reason = plainReason(error);
      this.discard();
      throw cannotWrite(this.target, reason);
    }
  }

  /** Write what is left and put the file in place. */
  commit(): void {
    this.flush();
    try {
      if (this.ownFd) fs.closeSync(this.fd!);
      this.fd = undefined;
      if (this.temporary !== undefined) fs.renameSync(this.temporary, this.where.path);
      this.temporary = undefined;
    } catch (error) {
      const reason = plainReason(error);
      this.discard();
      throw cannotWrite(this.target, reason);
    }
  }

  /** Remove the temporary file unless committed. */
  discard(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    if (this.fd !== undefined && this.ownFd) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    this.fd = undefined;
    if (this.temporary !== undefined) removeQuietly(this.temporary);
    this.temporary = undefined;
  }
}
