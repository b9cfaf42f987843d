// Entry file of the snapshot helper thread (built as dist/snapshot-worker.cjs;
// the conversation is in snapshot-helper.ts). In one read transaction of its
// own it reads what every page needs and then the accounts a batch at a time,
// a few batches ahead of the rendering thread, and stages the pages that
// thread sends back; it replies, after `end`, with every file it staged, or
// with why it failed. It works in one loop that waits on the shared control
// array instead of returning to its event loop, so that reading ahead and
// staging take turns without a message to wake it.
import workerThreads from 'node:worker_threads';
import { EXIT, PopsError, translateSqliteError } from '../base/errors.js';
import { StagedFiles, type StagedFile } from '../base/output-file.js';
import { readReferencedTables } from '../store/accounts.js';
import { refuseAccountsWithoutGroup } from '../store/consistency.js';
import { listGroups, resolveGroup } from '../store/groups.js';
import { openStore, useSmallCache } from '../store/open.js';
import { readPageBatches } from '../store/page-accounts.js';
import { PageStager } from './snapshot-folder.js';
import { POSTED, RENDERED, STOP, WAKE, type HelperCommand, type HelperMessage, type HelperSetup } from './snapshot-helper.js';

/** Batches read but not yet rendered: enough that the rendering thread never waits for the store, few enough that memory stays flat. */
const READ_AHEAD = 4;
/** Longest wait for the rendering thread, in ms, before looking again (a missed wake costs no more). */
const WAIT_MS = 2;

const port = workerThreads.parentPort!;
let setup: HelperSetup;
let control: Int32Array;
let files: StagedFiles;
let stager: PageStager;
const post = (message: HelperMessage) => {
  setup.port.postMessage(message);
  Atomics.add(control, POSTED, 1);
  Atomics.notify(control, POSTED);
};

// Started with the set's setup, or before it by the launcher (bin/pops.js): then startHelper sends the setup.
if (workerThreads.workerData === null || workerThreads.workerData === undefined) port.once('message', (given) => begin(given as HelperSetup));
else begin(workerThreads.workerData as HelperSetup);

function begin(given: HelperSetup): void {
  setup = given;
  control = setup.control;
  files = new StagedFiles(setup.run, 'w');
  stager = new PageStager(setup.dir, files);
  try {
    run();
  } catch (error) {
    post(failedReply(error, files.staged));
  }
  setup.port.close();
  setup.spare.close();
  port.close();
}

function run(): void {
  // The rendering thread's connection has the store open all along: nothing may close a descriptor of it here.
  const { db } = openStore(setup.store.path, { busyTimeoutMs: setup.store.busyTimeoutMs, from: setup.store.from, openHereAlready: true });
  // One pass from end to end: a page cache of 16 MiB would only be filled (docs/performance.md, "Snapshots, the store's cache and the visits").
  useSmallCache(db);
  let batches: Iterator<string> | undefined;
  let read = 0;
  try {
    db.exec('BEGIN');
    const group = setup.group === undefined ? undefined : resolveGroup(db, setup.group);
    if (group === undefined) refuseAccountsWithoutGroup(db, 'no snapshots taken');
    post({ type: 'setup', groups: listGroups(db), tables: readReferencedTables(db), groupId: group?.id });
    batches = readPageBatches(db, group?.id);
    for (;;) {
      const wake = Atomics.load(control, WAKE);
      // Reading comes first: the rendering thread is the one that must never wait.
      if (batches !== undefined && read - Atomics.load(control, RENDERED) < READ_AHEAD && Atomics.load(control, STOP) === 0) {
        const next = batches.next();
        if (next.done) {
          batches = undefined;
          post({ type: 'read' });
        } else {
          post({ type: 'batch', json: next.value });
          read += 1;
        }
        continue;
      }
      // Then one batch of pages sent back; the end is the last thing sent.
      const received = workerThreads.receiveMessageOnPort(port);
      if (received !== undefined) {
        const command = received.message as HelperCommand;
        if (command === 'end') {
          post({ type: 'staged', staged: [...files.staged] });
          return;
        }
        if (Atomics.load(control, STOP) === 0) stage(command);
        continue;
      }
      Atomics.wait(control, WAKE, wake, WAIT_MS);
    }
  } finally {
    batches?.return?.(undefined);
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

/**
 * Stage a batch's pages, then hand its buffer back to be filled again (Utf8Batch
 * in snapshot-helper.ts) — unless a page is kept in it to be written at the end
 * (a link to a pipe or a device: StagedFiles.stage).
 */
function stage({ names, bytes, ends }: Exclude<HelperCommand, 'end'>): void {
  const buffer = Buffer.from(bytes);
  const before = files.staged.length;
  for (let i = 0, start = 0; i < ends.length; start = ends[i], i += 1) stager.stage(names[2 * i], names[2 * i + 1], buffer.subarray(start, ends[i]));
  for (let i = before; i < files.staged.length; i += 1) if (files.staged[i].content !== undefined) return;
  setup.spare.postMessage(bytes, [bytes]);
}

/** A failure as the reply: a PopsError (an SQLite error that means the store cannot be used becomes one, as on the rendering thread) keeps its exit code. */
function failedReply(error: unknown, staged: readonly StagedFile[]): HelperMessage {
  const translated = translateSqliteError(error);
  if (translated instanceof PopsError)
    return { type: 'failed', message: translated.message, exitCode: translated.exitCode, hint: translated.hint, stack: translated.stack, staged: [...staged] };
  const plain = translated instanceof Error ? translated : new Error(String(translated));
  return { type: 'failed', message: plain.message, exitCode: EXIT.internal, stack: plain.stack, staged: [...staged] };
}
