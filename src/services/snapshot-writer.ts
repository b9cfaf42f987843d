// Writing the pages of a `preview --all --out` set (docs/performance.md,
// "Snapshots"). Pages are staged, never written in place: a group folder that
// does not exist yet is staged whole (a temporary folder renamed on commit),
// in one that exists each page goes to a temporary file beside the page it
// replaces (StagedFiles). A small set is staged by the thread that renders
// it; a large set's pages go, a batch at a time and as UTF-8 bytes, to a
// writer thread (snapshot-worker.ts, built as dist/snapshot-worker.cjs), which
// stages them while the next ones are rendered. The writer runs no rendering code, so it
// costs next to nothing to start and compiles next to nothing.
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';
import { EXIT, PopsError } from '../base/errors.js';
import { lazyModule } from '../base/lazy.js';
import { cannotWrite, plainReason, StagedFiles, type StagedFile } from '../base/output-file.js';
import { packageFile } from '../base/paths.js';

// Loaded when a run starts the writer thread (start-up, docs/performance.md).
const workerThreads = lazyModule<typeof import('node:worker_threads')>('node:worker_threads');

/** Stages pages into `files`: a group folder that does not exist yet whole, else each page beside the one it replaces. */
export class PageStager {
  /** Per group folder: the temporary folder its pages go to, or null when they are staged one by one. */
  private readonly folders = new Map<string, string | null>();

  constructor(
    private readonly dir: string,
    private readonly files: StagedFiles,
  ) {}

  /** Stage `content` as `<dir>/<relative>`, where `relative` is `<directory>/<file>`. */
  stage(directory: string, relative: string, content: string | Uint8Array): void {
    let staging = this.folders.get(directory);
    if (staging === undefined) {
      const folder = path.join(this.dir, directory);
      const state = folderState(folder);
      if (state === 'other') throw cannotWrite(folder, 'it is not a folder');
      staging = state === 'missing' ? this.files.stageFolder(folder) : null;
      this.folders.set(directory, staging);
    }
    if (staging === null) this.files.stage(path.join(this.dir, relative), content);
    else this.files.stageInto(staging, path.join(this.dir, relative), content);
  }
}

/** Whether nothing is at `folder` (not even a link), a folder (or a link to one), or something else. */
function folderState(folder: string): 'missing' | 'folder' | 'other' {
  try {
    if (fs.lstatSync(folder, { throwIfNoEntry: false }) === undefined) return 'missing';
    return fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() ? 'folder' : 'other';
  } catch (error) {
    throw cannotWrite(folder, plainReason(error));
  }
}

/**
 * Pages from which a set is worth a writer thread: a set expected to have as
 * many hands them over from the first page; a smaller one is staged on the
 * rendering thread (and, should it grow, hands over the rest from this page on).
 */
const PAGES_FOR_WRITER = 500;
/** Pages per message to the writer thread. */
const PAGES_PER_BATCH = 64;
/** Pages sent but not yet staged beyond which the rendering thread waits for the writer (memory stays flat). */
const MAX_PAGES_PENDING = 2048;

/** Slots of the Int32Array the two threads share. */
const STAGED = 0; // pages the writer has staged (or skipped after STOP)
const FAILED = 1; // 1 once the writer failed: the rendering thread stops
const STOP = 2; // 1 once the rendering thread failed: the writer skips what is left
const CONTROL_SLOTS = 3;

/** What the writer thread is started with. */
export interface WriterSetup {
  dir: string;
  /** The run's name for temporary files (StagedFiles), shared with the rendering thread. */
  run: string;
  control: Int32Array;
}

/**
 * From the rendering thread to the writer: pages, or the end of them. A batch
 * of pages is their names, [directory, relative, …], and their UTF-8 bytes one
 * after the other in `bytes` (handed over, not copied), page i ending at
 * `ends[i]`.
 */
export type WriterCommand = { names: string[]; bytes: ArrayBuffer; ends: number[] } | 'end';

/** From the writer to the rendering thread: one reply, after `end` or a failure, with every file it staged. */
export type WriterReply =
  | { type: 'staged'; staged: readonly StagedFile[] }
  | { type: 'failed'; message: string; exitCode: number; hint?: string; stack?: string; staged: readonly StagedFile[] };

/**
 * The pages of one run, staged into `files`: on this thread in a small set,
 * by a writer thread in a large one (from the bundle only). `put` returns
 * a promise only when the caller must wait for the writer; after the last
 * page `finish` waits for the writer and takes over what it staged, so that
 * `files.commit()` renames it all; after a failure `abandon` does the same, so
 * that `files.discard()` removes it all.
 */
export class PageSink {
  private readonly stager: PageStager;
  private pagesHere = 0;
  private writer?: Writer;
  /** The pages not yet sent: [directory, relative, …] and their texts. */
  private names: string[] = [];
  private texts: string[] = [];
  private sent = 0;
  /** The writer's end, once asked for (end). */
  private ending?: Promise<Error | undefined>;

  /** `expectedPages`: how many pages the set will have, as counted before rendering. */
  constructor(
    private readonly dir: string,
    private readonly files: StagedFiles,
    private readonly expectedPages: number,
  ) {
    this.stager = new PageStager(dir, files);
  }

  /** Threads that staged pages: 1, or 2 with the writer. */
  get threads(): number {
    return this.writer ? 2 : 1;
  }

  put(directory: string, relative: string, text: string): Promise<void> | undefined {
    if (this.writer === undefined) {
      if ((this.expectedPages < PAGES_FOR_WRITER && this.pagesHere < PAGES_FOR_WRITER) || writerFilePath() === null) {
        this.stager.stage(directory, relative, text);
        this.pagesHere += 1;
        return undefined;
      }
      this.writer = startWriter({ dir: this.dir, run: this.files.run, control: new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4)) });
    }
    if (Atomics.load(this.writer.control, FAILED) !== 0) throw new WriterStopped();
    this.names.push(directory, relative);
    this.texts.push(text);
    if (this.texts.length < PAGES_PER_BATCH) return undefined;
    this.send();
    return this.sent - Atomics.load(this.writer.control, STAGED) > MAX_PAGES_PENDING ? this.catchUp() : undefined;
  }

  /** After the last page: wait for the writer and take over what it staged; its failure is thrown. */
  async finish(): Promise<void> {
    if (this.writer === undefined) return;
    this.send();
    const failure = await this.end();
    if (failure) throw failure;
  }

  /**
   * After a failure: stop the writer and take over what it staged (to be
   * removed). Returns the error to report: the writer's own when `error` only
   * says it stopped.
   */
  async abandon(error: unknown): Promise<unknown> {
    if (this.writer === undefined) return error;
    Atomics.store(this.writer.control, STOP, 1);
    const failure = await this.end();
    return error instanceof WriterStopped ? (failure ?? error) : error;
  }

  /** Stop the writer thread if it is still running. */
  async close(): Promise<void> {
    await this.writer?.stop();
  }

  /**
   * Send the pending pages as UTF-8 bytes in one buffer that changes hands:
   * cloning the texts into the writer's heap cost more than encoding them
   * here, which the writer would otherwise do (docs/performance.md, "Snapshots").
   */
  private send(): void {
    const { texts } = this;
    if (texts.length === 0) return;
    // Room for the longest UTF-8 the texts can make (3 bytes per UTF-16 unit), so they are read once.
    let units = 0;
    for (const text of texts) units += text.length;
    const bytes = Buffer.allocUnsafeSlow(3 * units);
    const ends: number[] = [];
    for (let i = 0, at = 0; i < texts.length; i += 1) ends.push((at += bytes.write(texts[i], at)));
    this.sent += texts.length;
    this.writer!.send({ names: this.names, bytes: bytes.buffer as ArrayBuffer, ends }, [bytes.buffer as ArrayBuffer]);
    this.names = [];
    this.texts = [];
  }

  /** Until the writer has half of what is pending behind it (it stages a page in tens of microseconds, unless the disk stalls). */
  private async catchUp(): Promise<void> {
    const writer = this.writer!;
    while (this.sent - Atomics.load(writer.control, STAGED) > MAX_PAGES_PENDING / 2) {
      if (writer.ended || Atomics.load(writer.control, FAILED) !== 0) throw new WriterStopped();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Tell the writer there is nothing more, wait for its reply and adopt what it staged, once; the error it reports, if any. */
  private end(): Promise<Error | undefined> {
    return (this.ending ??= this.endNow());
  }

  private async endNow(): Promise<Error | undefined> {
    const writer = this.writer!;
    writer.send('end');
    const reply = await writer.reply;
    if (reply instanceof Error) return reply;
    this.files.adopt(reply.staged);
    if (reply.type === 'staged') return undefined;
    const error = reply.exitCode === EXIT.internal ? new Error(reply.message) : new PopsError(reply.message, reply.exitCode, reply.hint);
    if (reply.stack) error.stack = reply.stack;
    return error;
  }
}

/** The writer thread failed or died; its reply says why. */
class WriterStopped extends Error {}

interface Writer {
  control: Int32Array;
  send(command: WriterCommand, transfer?: ArrayBuffer[]): void;
  /** The writer's one reply, or the error the thread died of. */
  reply: Promise<WriterReply | Error>;
  /** Whether it has replied or died (known once this thread has waited for something). */
  readonly ended: boolean;
  stop(): Promise<void>;
}

function startWriter(setup: WriterSetup): Writer {
  const worker = new (workerThreads().Worker)(writerFilePath()!, { workerData: setup });
  let ended = false;
  const reply = new Promise<WriterReply | Error>((resolve) => {
    const end = (value: WriterReply | Error) => {
      ended = true;
      resolve(value);
    };
    worker.once('message', end);
    worker.once('error', end);
    worker.once('exit', (code) => end(new Error(`the snapshot writer thread stopped early (exit code ${code})`)));
  });
  return {
    control: setup.control,
    send: (command, transfer) => worker.postMessage(command, transfer),
    reply,
    get ended() {
      return ended;
    },
    stop: async () => void (await worker.terminate()),
  };
}

// The writer thread runs dist/snapshot-worker.cjs, which the build makes beside
// the bundle; from the TypeScript sources every page is staged on one thread.
let writerFileFound: string | null | undefined;
/** dist/snapshot-worker.cjs when running from the bundle and it is there, else null (looked up on first use). */
const writerFilePath = (): string | null => (writerFileFound ??= import.meta.url.endsWith('.cjs') ? writerFile() : null);

function writerFile(): string | null {
  const file = packageFile('dist/snapshot-worker.cjs');
  return fs.existsSync(file) ? url.fileURLToPath(file) : null;
}

/**
 * The writer thread's side: stage each page it is sent into its own
 * StagedFiles (the run's temporary names, part `w`), count it in STAGED, and
 * on `end` reply with every file it staged. A failure sets FAILED and is the
 * reply, at once; after STOP the pages still coming are skipped.
 */
export class SnapshotWriter {
  private readonly files: StagedFiles;
  private readonly stager: PageStager;
  /** Nothing more to do: the thread may end. */
  done = false;

  constructor(private readonly setup: WriterSetup) {
    this.files = new StagedFiles(setup.run, 'w');
    this.stager = new PageStager(setup.dir, this.files);
  }

  handle(command: WriterCommand): WriterReply | undefined {
    const { control } = this.setup;
    if (command === 'end') {
      this.done = true;
      return { type: 'staged', staged: [...this.files.staged] };
    }
    const { names, ends } = command;
    const bytes = Buffer.from(command.bytes);
    if (Atomics.load(control, STOP) === 0) {
      try {
        for (let i = 0, start = 0; i < ends.length; start = ends[i], i += 1) this.stager.stage(names[2 * i], names[2 * i + 1], bytes.subarray(start, ends[i]));
      } catch (error) {
        // The rendering thread stops at its next page and asks for nothing more.
        Atomics.store(control, FAILED, 1);
        this.done = true;
        return failedReply(error, this.files.staged);
      }
    }
    Atomics.add(control, STAGED, ends.length);
    return undefined;
  }
}

function failedReply(error: unknown, staged: readonly StagedFile[]): WriterReply {
  if (error instanceof PopsError)
    return { type: 'failed', message: error.message, exitCode: error.exitCode, hint: error.hint, stack: error.stack, staged: [...staged] };
  const plain = error instanceof Error ? error : new Error(String(error));
  return { type: 'failed', message: plain.message, exitCode: EXIT.internal, stack: plain.stack, staged: [...staged] };
}
