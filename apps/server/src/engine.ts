// Where forward passes run. `main`: on the event-loop thread, in batches that yield between passes (inference.ts).
// `worker`: in a worker_thread that loads its own copy of the models (inference-worker.ts), so the event loop
// only tokenizes, batches and post-processes, and /healthz never waits for a forward pass.
import type { EmbedOptions, EncodedRow } from '@bertkit/heads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ServerConfigError } from './errors.js';
import { embedExec, fillMaskExec, hiddenExec, logitsExec, type Limits, type MaskItem, type MaskTop } from './inference.js';
import type { Metrics } from './metrics.js';
import type { ServedModel } from './model-registry.js';
import type { ResolvedOptions } from './options.js';

export interface Engine {
  embed(m: ServedModel, options: EmbedOptions, items: EncodedRow[]): Promise<number[][]>;
  fillMask(m: ServedModel, items: MaskItem[]): Promise<MaskTop[][]>;
  logits(m: ServedModel, items: EncodedRow[][]): Promise<Float32Array[]>;
  /** Last-layer vector of every token, per item [T_i·H]. */
  hidden(m: ServedModel, items: EncodedRow[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export function mainThreadEngine(limits: Limits, metrics: Metrics): Engine {
  return {
    embed: (m, options, items) => embedExec(m, options, limits, metrics)(items),
    fillMask: (m, items) => fillMaskExec(m, limits, metrics)(items),
    logits: (m, items) => logitsExec(m, limits, metrics)(items),
    hidden: (m, items) => hiddenExec(m, limits, metrics)(items),
    close: async () => undefined,
  };
}

export interface WorkerRequest {
  id: number;
  op: 'embed' | 'fill-mask' | 'logits' | 'hidden';
  model: string;
  options?: EmbedOptions;
  items: unknown[];
}

export type WorkerReply = { id: number; ok: true; result: unknown[]; seconds: number; tokens: number } | { id: number; ok: false; name: string; message: string };

/** Starts the inference worker (dist/inference-worker.js) and resolves once it has loaded every model. */
export async function workerEngine(options: ResolvedOptions, metrics: Metrics): Promise<Engine> {
  const file = new URL('./inference-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(file))) {
    throw new ServerConfigError('inference', `'main', or 'worker' from the built package (${fileURLToPath(file)})`, 'worker without a built inference-worker.js');
  }
  const worker = new Worker(file, { workerData: { options } });
  const pending = new Map<number, { resolve: (r: unknown[]) => void; reject: (e: Error) => void; model: string; op: string }>();
  let next = 0;
  let failed: Error | null = null;
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(`inference worker: ${m.error}`))));
    worker.once('error', reject);
  });
  worker.on('message', (r: WorkerReply) => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (r.ok) {
      metrics.inc('bert_tokens_total', { model: p.model }, r.tokens);
      metrics.observe('bert_inference_seconds', { model: p.model, operation: p.op }, r.seconds);
      p.resolve(r.result);
    } else p.reject(Object.assign(new Error(r.message), { name: r.name }));
  });
  const fail = (e: Error) => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`inference worker exited with code ${code}`)));
  const call = <O>(req: Omit<WorkerRequest, 'id'>): Promise<O[]> => {
    if (failed) return Promise.reject(failed);
    const id = next++;
    return new Promise<O[]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (r: unknown[]) => void, reject, model: req.model, op: req.op });
      worker.postMessage({ ...req, id });
    });
  };
  return {
    embed: (m, o, items) => call({ op: 'embed', model: m.name, options: o, items }),
    fillMask: (m, items) => call({ op: 'fill-mask', model: m.name, items }),
    logits: (m, items) => call({ op: 'logits', model: m.name, items }),
    hidden: (m, items) => call({ op: 'hidden', model: m.name, items }),
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
