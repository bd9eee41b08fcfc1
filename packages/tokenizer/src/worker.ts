// Worker-thread entry of the parallel encoder (parallel.ts). Built by tsup as dist/worker.js and dist/worker.cjs
// beside dist/node.*. It receives the tokenizer once, as tokenizer.json text in `workerData`, then answers
// `encode` requests with `encodeBatch` results, packed (parallel-codec.ts) and transferred without a copy.
import { parentPort, workerData } from 'node:worker_threads';
import { BertTokenizer } from './bert-tokenizer.js';
import { packEncodings } from './parallel-codec.js';
import type { WorkerReply, WorkerRequest } from './parallel-protocol.js';

function fail(e: unknown): { name: string; message: string } {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
}

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread (started by createEncodePool)');

let tokenizer: BertTokenizer | null = null;
try {
  tokenizer = BertTokenizer.fromJSON((workerData as { tokenizerJson: string }).tokenizerJson);
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (e) {
  port.postMessage({ type: 'failed', error: fail(e) } satisfies WorkerReply);
}

port.on('message', (req: WorkerRequest) => {
  try {
    const tok = tokenizer!;
    const packed = packEncodings(tok.encodeBatch(req.inputs, req.options), (id) => tok.idToToken(id));
    port.postMessage({ type: 'done', id: req.id, packed } satisfies WorkerReply, [packed.data.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ type: 'error', id: req.id, error: fail(e) } satisfies WorkerReply);
  }
});
