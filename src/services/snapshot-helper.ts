// A large `preview --all --out` set with a helper thread (docs/performance.md,
// "Snapshots"). Rendering is the most work and stays on this thread; the
// helper (snapshot-worker.ts, built as dist/snapshot-worker.cjs) does the rest:
// it reads the set's accounts in its own read transaction, a batch at a time
// as the JSON text the store makes of them (readPageBatches), a few batches
// ahead of the rendering, and stages the pages this thread sends back as
// UTF-8 bytes. Every page of the set comes from the helper's one transaction:
// the groups and the facilities, providers and agencies too.
import fs from 'node:fs';
import url from 'node:url';
import { EXIT, PopsError } from '../base/errors.js';
import { lazyModule } from '../base/lazy.js';
import type { StagedFile, StagedFiles } from '../base/output-file.js';
import { packageFile } from '../base/paths.js';
import type { Group } from '../domain/group-settings.js';
import type { PortalView } from '../domain/portal.js';
import { encounterMaker, referencedRowsOf, type ReferencedTables } from '../store/accounts.js';
import { pageAccountsOf } from '../store/page-accounts.js';
import { PageRenderer, type NoticeCounts } from './snapshot-pages.js';

// Loaded when a run starts the helper thread (start-up, docs/performance.md).
const workerThreads = lazyModule<typeof import('node:worker_threads')>('node:worker_threads');

/** Pages from which a set is worth the helper thread, which takes some tens of milliseconds to start. */
export const PAGES_FOR_HELPER = 500;

/** Slots of the Int32Array the two threads share. */
export const RENDERED = 0; // batches this thread has rendered (and sent): the helper reads ahead of it
export const WAKE = 1; // changed (and notified) whenever this thread sends the helper something
export const STOP = 2; // 1 once this thread failed or was interrupted: the helper stages nothing more
export const POSTED = 3; // changed (and notified) whenever the helper posts this thread a message
const CONTROL_SLOTS = 4;

/** What the helper thread is started with. */
export interface HelperSetup {
  store: { path: string; from?: '--db' | 'POPS_DB'; busyTimeoutMs?: number };
  /** Only this group's accounts (name or id), as asked. */
  group?: string;
  dir: string;
  /** The run's name for temporary files (StagedFiles), shared with this thread. */
  run: string;
  control: Int32Array;
  /** Where the helper posts its messages (HelperMessage), read by this thread as it needs them. */
  port: import('node:worker_threads').MessagePort;
  /** Where the helper hands back each batch's buffer once its pages are staged, for this thread to fill again. */
  spare: import('node:worker_threads').MessagePort;
}

/**
 * From this thread to the helper: a batch of pages — their names,
 * [directory, relative, …], and their UTF-8 bytes one after the other in
 * `bytes` (handed over, not copied), page i ending at `ends[i]` — or the end.
 */
export type HelperCommand = { names: string[]; bytes: ArrayBuffer; ends: number[] } | 'end';

/**
 * From the helper, in this order: what every page needs, the batches, the
 * end of them; then one reply after `end`, with every file it staged. A
 * failure is that reply at once.
 */
export type HelperMessage =
  | { type: 'setup'; groups: Group[]; tables: ReferencedTables; groupId?: number }
  | { type: 'batch'; json: string }
  | { type: 'read' }
  | { type: 'staged'; staged: readonly StagedFile[] }
  | { type: 'failed'; message: string; exitCode: number; hint?: string; stack?: string; staged: readonly StagedFile[] };

/** What a run staged: the path of each page in the set, the pages that can only say "contact the office", and the groups read. */
export interface StagedPages {
  written: string[];
  noFooterNumber: NoticeCounts;
  groups: Group[];
  /** The group the set was limited to (--group). */
  groupId?: number;
  threads: number;
}

let helperFileFound: string | null | undefined;
/**
 * dist/snapshot-worker.cjs when running from the bundle and it is there, else
 * null: from the TypeScript sources every page is rendered and staged on one
 * thread.
 */
export function helperFile(): string | null {
  if (helperFileFound === undefined) {
    const file = packageFile('dist/snapshot-worker.cjs');
    helperFileFound = import.meta.url.endsWith('.cjs') && fs.existsSync(file) ? url.fileURLToPath(file) : null;
  }
  return helperFileFound;
}

/**
 * Render the set's pages as the helper reads them and hand them back to it to
 * stage; after the last, adopt into `files` what it staged. On a failure (or
 * when `isInterrupted` says so, checked between batches) the helper is
 * stopped, what it staged adopted all the same, and the error thrown, for the
 * caller to discard it all.
 */
export async function stageWithHelper(
  setup: Omit<HelperSetup, 'run' | 'control' | 'port' | 'spare'>,
  page: { width: number; views: readonly PortalView[] },
  files: StagedFiles,
  isInterrupted: () => boolean,
): Promise<StagedPages> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const helper = startHelper(helperFile()!, { ...setup, run: files.run, control });
  // Waking a waiting thread cost this one a tenth of a millisecond or more a batch: the helper looks for
  // work every few milliseconds on its own (snapshot-worker.ts), and is woken only for the end.
  const send = (command: HelperCommand, transfer?: ArrayBuffer[]) => {
    helper.send(command, transfer);
    if (command === 'end') {
      Atomics.add(control, WAKE, 1);
      Atomics.notify(control, WAKE);
    }
  };
  const written: string[] = [];
  let renderer: PageRenderer | undefined;
  try {
    let start: Extract<HelperMessage, { type: 'setup' }> | undefined;
    let encounterOf: ReturnType<typeof encounterMaker>['encounterOf'] | undefined;
    for (;;) {
      const message = await helper.next();
      if (message.type === 'failed') throw failure(message, files);
      if (message.type === 'staged') throw new Error('the snapshot helper thread ended early');
      if (message.type === 'read') break;
      if (message.type === 'setup') {
        start = message;
        renderer = new PageRenderer({ groups: message.groups, width: page.width, views: page.views });
        encounterOf = encounterMaker(referencedRowsOf(message.tables)).encounterOf;
        continue;
      }
      const names: string[] = [];
      const batch = new Utf8Batch(helper.spare());
      for (const account of pageAccountsOf(message.json, encounterOf!)) {
        renderer!.render(account, (directory, relative, text) => {
          names.push(directory, relative);
          batch.add(text);
          written.push(relative);
        });
      }
      const { bytes, ends } = batch;
      // Counted before the pages are sent: the helper reads the next batch as soon as it sees the count.
      Atomics.add(control, RENDERED, 1);
      send({ names, bytes, ends }, [bytes]);
      // The event loop runs between batches, so that an interruption is heard mid-run.
      await new Promise((resolve) => setImmediate(resolve));
      if (isInterrupted()) throw new Error('interrupted');
    }
    send('end');
    // An interruption heard while the helper stages the last pages stops it there; the caller then
    // puts nothing in place (writeSnapshots).
    const reply = await helper.reply(() => {
      if (isInterrupted()) Atomics.store(control, STOP, 1);
    });
    if (reply.type === 'failed') throw failure(reply, files);
    files.adopt(reply.staged);
    return { written, noFooterNumber: renderer?.noFooterNumber ?? new Map(), groups: start!.groups, groupId: start!.groupId, threads: 2 };
  } catch (error) {
    // Stop the helper, and adopt what it staged so that the caller removes it.
    if (!helper.replied) {
      Atomics.store(control, STOP, 1);
      send('end');
      try {
        files.adopt((await helper.reply()).staged);
      } catch {
        // The thread died: what it staged is swept up with the run's other temporary files (restoreFolder).
      }
    }
    throw error;
  } finally {
    await helper.stop();
  }
}

/**
 * A batch's pages as UTF-8 bytes in one buffer that changes hands: cloning the
 * texts into the helper's heap cost more than encoding them here
 * (docs/performance.md, "Snapshots"). Each page is encoded as soon as it is
 * rendered, so that its text dies young. The helper hands each buffer back
 * once it has staged its pages, and a batch fills one handed back when there
 * is one: memory the process has written to already, where a new buffer's
 * every page of memory is a page fault (docs/performance.md, "Snapshots, page faults").
 */
class Utf8Batch {
  private buffer: Buffer;
  private at = 0;
  readonly ends: number[] = [];

  constructor(spare: ArrayBuffer | undefined) {
    this.buffer = spare === undefined ? Buffer.allocUnsafeSlow(BATCH_BYTES) : Buffer.from(spare);
  }

  add(text: string): void {
    // Room for the longest UTF-8 the text can make: 3 bytes per UTF-16 unit.
    const needed = this.at + 3 * text.length;
    if (needed > this.buffer.length) {
      const larger = Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.buffer.length));
      this.buffer.copy(larger, 0, 0, this.at);
      this.buffer = larger;
    }
    this.at += this.buffer.write(text, this.at);
    this.ends.push(this.at);
  }

  get bytes(): ArrayBuffer {
    return this.buffer.buffer as ArrayBuffer;
  }
}

/** A batch buffer's first size: 50 pages of about 5 KB (80 columns) with room for wider ones; it grows when a batch needs more. */
const BATCH_BYTES = 1 << 20;

/** The helper's failure as the error to report, after adopting what it staged (to be removed). */
function failure(reply: Extract<HelperMessage, { type: 'failed' }>, files: StagedFiles): Error {
  files.adopt(reply.staged);
  const error = reply.exitCode === EXIT.internal ? new Error(reply.message) : new PopsError(reply.message, reply.exitCode, reply.hint);
  if (reply.stack) error.stack = reply.stack;
  return error;
}

interface Helper {
  send(command: HelperCommand, transfer?: ArrayBuffer[]): void;
  /** A buffer the helper has handed back, if any. */
  spare(): ArrayBuffer | undefined;
  /** The helper's next message before its reply; its reply ends the conversation. */
  next(): Promise<HelperMessage>;
  /**
   * The helper's reply (skipping what comes before it), or the error the
   * thread died of; `whileWaiting` is called each time the event loop has run
   * meanwhile (when a signal may have been heard).
   */
  reply(whileWaiting?: () => void): Promise<Extract<HelperMessage, { type: 'staged' | 'failed' }>>;
  readonly replied: boolean;
  stop(): Promise<void>;
}

/** What the launcher (bin/pops.js) leaves for a snapshot set: the helper thread it started before the program loaded. */
interface EarlyHelper {
  worker: import('node:worker_threads').Worker;
  /** It failed or ended before it was taken. */
  failed: boolean;
}
const EARLY_HELPER = Symbol.for('pops.snapshot-helper');

/** The helper thread the launcher started, taken once (undefined when there is none or it failed): it waits for its setup in a message. */
function startedEarly(): import('node:worker_threads').Worker | undefined {
  const holder = globalThis as { [EARLY_HELPER]?: EarlyHelper };
  const early = holder[EARLY_HELPER];
  delete holder[EARLY_HELPER];
  if (early === undefined || early.failed) return undefined;
  early.worker.ref();
  return early.worker;
}

/** Longest this thread blocks waiting for the helper, in ms, before letting its event loop run (to hear of the thread's death or a signal). */
const WAIT_MS = 20;

function startHelper(file: string, setup: Omit<HelperSetup, 'port' | 'spare'>): Helper {
  const { MessageChannel, Worker, receiveMessageOnPort } = workerThreads();
  const { port1: port, port2 } = new MessageChannel();
  const { port1: spares, port2: sparesTo } = new MessageChannel();
  const started = startedEarly();
  const worker = started ?? new Worker(file, { workerData: { ...setup, port: port2, spare: sparesTo }, transferList: [port2, sparesTo] });
  if (started) worker.postMessage({ ...setup, port: port2, spare: sparesTo }, [port2, sparesTo]);
  // Buffers handed back and not yet filled again.
  const pool: ArrayBuffer[] = [];
  const { control } = setup;
  let died: Error | undefined;
  let replied = false;
  worker.once('error', (error) => (died ??= error));
  worker.once('exit', (code) => (died ??= new Error(`the snapshot helper thread stopped early (exit code ${code})`)));
  // Read synchronously, as soon as it is posted: waiting for the event loop to deliver each batch cost half a millisecond a batch.
  const take = async (whileWaiting?: () => void): Promise<HelperMessage> => {
    for (;;) {
      const posted = Atomics.load(control, POSTED);
      const received = receiveMessageOnPort(port);
      if (received !== undefined) {
        const message = received.message as HelperMessage;
        if (message.type === 'staged' || message.type === 'failed') replied = true;
        return message;
      }
      if (died !== undefined) {
        replied = true;
        throw died;
      }
      if (Atomics.wait(control, POSTED, posted, WAIT_MS) === 'timed-out') {
        await new Promise((resolve) => setImmediate(resolve));
        whileWaiting?.();
      }
    }
  };
  return {
    send: (command, transfer) => worker.postMessage(command, transfer),
    spare() {
      for (let received = receiveMessageOnPort(spares); received !== undefined; received = receiveMessageOnPort(spares))
        pool.push(received.message as ArrayBuffer);
      return pool.pop();
    },
    next: () => take(),
    async reply(whileWaiting) {
      for (;;) {
        const message = await take(whileWaiting);
        if (message.type === 'staged' || message.type === 'failed') return message;
      }
    },
    get replied() {
      return replied;
    },
    stop: async () => {
      port.close();
      spares.close();
      await worker.terminate();
    },
  };
}
