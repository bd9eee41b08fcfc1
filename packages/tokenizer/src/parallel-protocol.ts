// Messages between the parallel encoder (parallel.ts) and its worker threads (worker.ts).
import type { EncodeInput, EncodeOptions } from './bert-tokenizer.js';
import type { PackedEncodings } from './parallel-codec.js';

/** Main thread → worker: encode one chunk of a batch. */
export interface WorkerRequest {
  id: number;
  inputs: readonly EncodeInput[];
  options: EncodeOptions;
}

/** A thrown error, as it crosses the thread boundary. */
export interface WorkerFailure {
  name: string;
  message: string;
}

/** Worker → main thread. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; error: WorkerFailure }
  | { type: 'done'; id: number; packed: PackedEncodings }
  | { type: 'error'; id: number; error: WorkerFailure };
