// Entry file of a snapshot helper thread (built as dist/snapshot-worker.cjs):
// renders and writes one part of a `preview --all --out` run and posts the
// result, or the error, back to the thread that started it.
import { parentPort, workerData } from 'node:worker_threads';
import { runSnapshotHelper, type HelperRun } from './snapshots.js';

parentPort!.postMessage(runSnapshotHelper(workerData as HelperRun));
