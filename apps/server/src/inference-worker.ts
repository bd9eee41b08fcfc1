// The worker_thread of `inference: 'worker'`: loads the models and runs the batch executors of inference.ts on
// the items the main thread sends (see engine.ts). Built as its own entry (dist/inference-worker.js).
import { initBackend } from '@bertkit/backend';
import type { EncodedRow } from '@bertkit/heads';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './engine.js';
import { embedExec, fillMaskExec, hiddenExec, logitsExec, type MaskItem } from './inference.js';
import { Metrics } from './metrics.js';
import { loadServedModel, type ResolvedSpec, type ServedModel } from './model-registry.js';
import { backendRequest, type ResolvedOptions } from './options.js';

async function main(): Promise<void> {
  const port = parentPort!;
  const { options, specs } = workerData as { options: ResolvedOptions; specs: ResolvedSpec[] };
  const models = new Map<string, ServedModel>();
  try {
    await initBackend(backendRequest(options.backend));
    for (const spec of specs) models.set(spec.name, await loadServedModel(spec, options));
  } catch (e) {
    port.postMessage({ error: (e as Error).message });
    return;
  }
  const limits = { maxBatchSize: options.maxBatchSize, maxBatchTokens: options.maxBatchTokens };
  const metrics = new Metrics(); // per-batch metrics are recorded by the main thread from the replies
  port.postMessage({ ready: true });
  port.on('message', async (req: WorkerRequest) => {
    const t0 = process.hrtime.bigint();
    try {
      const m = models.get(req.model)!;
      let result: unknown[];
      let tokens = 0;
      if (req.op === 'embed') {
        const items = req.items as EncodedRow[];
        for (const r of items) tokens += r.inputIds.length;
        result = await embedExec(m, req.options ?? {}, limits, metrics)(items);
      } else if (req.op === 'fill-mask') {
        const items = req.items as MaskItem[];
        for (const r of items) tokens += r.inputIds.length;
        result = await fillMaskExec(m, limits, metrics)(items);
      } else if (req.op === 'hidden') {
        const items = req.items as EncodedRow[];
        for (const r of items) tokens += r.inputIds.length;
        result = await hiddenExec(m, limits, metrics)(items);
      } else {
        const items = req.items as EncodedRow[][];
        for (const rows of items) for (const r of rows) tokens += r.inputIds.length;
        result = await logitsExec(m, limits, metrics)(items);
      }
      const reply: WorkerReply = { id: req.id, ok: true, result, tokens, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
      port.postMessage(reply);
    } catch (e) {
      const err = e as Error;
      const reply: WorkerReply = { id: req.id, ok: false, name: err.name, message: err.message };
      port.postMessage(reply);
    }
  });
}

void main();
