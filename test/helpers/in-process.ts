// Running the CLI inside the test process with fake streams, for what a
// subprocess cannot show: behaviour on a terminal (progress bars, stderr notes).
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
import { makeIO } from '../../src/io.js';
import type { RunResult } from './cli.js';

export async function popsInProcess(args: string[], terminal: { stdout?: boolean; stderr?: boolean } = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const io = makeIO({
    stdout,
    stderr,
    stdin: new PassThrough(),
    stdoutIsTTY: terminal.stdout ?? false,
    stderrIsTTY: terminal.stderr ?? false,
    stdinIsTTY: false,
    env: { POPS_ACTOR: 'tester' },
    noColor: true,
  });
  const code = await main(args, io);
  // Let the streams deliver what was written before reading it.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out, stderr: err };
}
