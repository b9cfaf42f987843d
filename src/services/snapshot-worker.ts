// Entry file of a snapshot helper thread (built as dist/snapshot-worker.cjs):
// starts a read transaction, then renders and stages one part of a `preview
// --all --out` run when told to, and posts the result, or the error, back to
// the thread that started it (the conversation is in snapshots.ts).
import workerThreads from 'node:worker_threads';
import { SnapshotHelper, type HelperCommand, type HelperRun } from './snapshots.js';

const port = workerThreads.parentPort!;
const helper = new SnapshotHelper(workerThreads.workerData as HelperRun);
port.postMessage(helper.begin());
if (helper.done) port.close();
port.on('message', (command: HelperCommand) => {
  const reply = helper.handle(command);
  if (reply) port.postMessage(reply);
  if (helper.done) port.close();
});
