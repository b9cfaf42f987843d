// Entry file of the snapshot writer thread (built as dist/snapshot-worker.cjs):
// stages the pages of a `preview --all --out` set that the rendering thread
// sends it, and replies with what it staged, or why it failed (the
// conversation is in snapshot-writer.ts).
import workerThreads from 'node:worker_threads';
import { SnapshotWriter, type WriterCommand, type WriterSetup } from './snapshot-writer.js';

const port = workerThreads.parentPort!;
const writer = new SnapshotWriter(workerThreads.workerData as WriterSetup);
port.on('message', (command: WriterCommand) => {
  const reply = writer.handle(command);
  if (reply) port.postMessage(reply);
  if (writer.done) port.close();
});
