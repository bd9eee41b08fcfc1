// Two fine-tuning runs at once on a multi-core CPU: one in a worker thread (dist/finetune-worker.js) while the
// caller runs the other. tfjs' CPU backends use one core each in Node, so `bert quickstart`'s shipped-vs-random
// comparison takes the time of one run instead of two. Same code, seed and backend: the same result as in-process.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { FineTuneCliOptions, FineTuneCliResult } from './commands/finetune.js';
import type { FineTuneWorkerReply } from './finetune-worker.js';

/** A fine-tuning run in a worker thread; `log` is what it printed (progress bars as off a TTY). */
export interface WorkerFineTune {
  done: Promise<{ result: FineTuneCliResult; log: string }>;
  /** Stops the worker (when the caller's own run failed). */
  cancel(): Promise<void>;
}

/** The built worker script beside this module; null when running from source (tests) or as CommonJS. */
function builtWorker(): URL | null {
  try {
    return new URL('./finetune-worker.js', import.meta.url);
  } catch {
    return null;
  }
}

/**
 * Starts `options` in a worker when that can run in parallel: a built worker `script` (default: the CLI's, beside
 * this module), at least two cores, and a CPU backend (wasm, cpu; a GPU is shared, not doubled). Null otherwise:
 * run it in-process.
 */
export function startFineTuneWorker(options: FineTuneCliOptions, script: URL | null = builtWorker()): WorkerFineTune | null {
  const url = script && existsSync(fileURLToPath(script)) ? script : null;
  const backend = options.backend ?? tf.getBackend();
  if (!url || availableParallelism() < 2 || (backend !== 'wasm' && backend !== 'cpu')) return null;
  const worker = new Worker(url, { workerData: { ...options, backend } });
  const done = new Promise<{ result: FineTuneCliResult; log: string }>((resolve, reject) => {
    worker.once('message', (reply: FineTuneWorkerReply) => {
      void worker.terminate();
      if (reply.ok) resolve({ result: reply.result, log: reply.log });
      else reject(Object.assign(new Error(`fine-tuning in a worker: ${reply.message}\n${reply.log}`), { name: reply.name }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fine-tuning worker exited with code ${code} before replying`)));
  });
  done.catch(() => undefined); // a failure is reported when the caller awaits `done`, not as an unhandled rejection
  return {
    done,
    cancel: async () => {
      await worker.terminate();
    },
  };
}

/** A log printed off a TTY with each run of progress-bar lines (a line every few seconds) cut to its last line. */
export function lastProgressLines(log: string): string {
  const isBar = (l: string) => /[█░]{4,}/.test(l);
  const lines = log.split('\n');
  return lines.filter((l, i) => !(isBar(l) && i + 1 < lines.length && isBar(lines[i + 1]))).join('\n');
}
