// Worker-thread entry (built as dist/finetune-worker.js): one `runFineTuneCli` on the worker's own tfjs backend, so
// `bert quickstart` fine-tunes its random-initialisation twin on a second core while the shipped model fine-tunes on
// the first. Replies with the result, or the error's name and message, and what the run printed.
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { Io } from './command.js';
import { runFineTuneCli, type FineTuneCliOptions, type FineTuneCliResult } from './commands/finetune.js';

export type FineTuneWorkerReply =
  | { ok: true; result: FineTuneCliResult; log: string }
  | { ok: false; name: string; message: string; log: string };

async function main(options: FineTuneCliOptions): Promise<FineTuneWorkerReply> {
  const out = new PassThrough();
  let log = '';
  out.on('data', (c) => (log += c));
  // not a TTY: progress bars print a line every few seconds, not every redraw
  const io: Io = { stdout: out, stderr: out, stdin: new PassThrough() };
  try {
    return { ok: true, result: await runFineTuneCli(options, io), log };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, name: err.name, message: err.message, log };
  }
}

if (parentPort) {
  const port = parentPort;
  void main(workerData as FineTuneCliOptions).then((reply) => port.postMessage(reply));
}
