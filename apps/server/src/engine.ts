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
import type { ResolvedSpec, ServedModel } from './model-registry.js';
import type { ResolvedOptions } from './options.js';

export interface Engine {
  embed(m: ServedModel, options: EmbedOptions, items: EncodedRow[]): Promise<number[][]>;
  fillMask(m: ServedModel, items: MaskItem[]): Promise<MaskTop[][]>;
  logits(m: ServedModel, items: EncodedRow[][]): Promise<Float32Array[]>;
  /** Last-layer vector of every token, per item [T_i·H]. */
  hidden(m: ServedModel, items: EncodedRow[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Whether the backend still works: set by a failed warm-up or by a BackendError (e.g. a lost GPU device). */
export interface EngineHealth {
  backendError: string | null;
}

/** The engine, recording a BackendError from any call in `health` (so /readyz stops saying ready). */
export function guardedEngine(engine: Engine, health: EngineHealth): Engine {
  const watch = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      const err = e as Error;
      if (err?.name === 'BackendError') health.backendError = err.message;
      throw e;
    });
  return {
    embed: (m, o, items) => watch(engine.embed(m, o, items)),
    fillMask: (m, items) => watch(engine.fillMask(m, items)),
    logits: (m, items) => watch(engine.logits(m, items)),
    hidden: (m, items) => watch(engine.hidden(m, items)),
    close: () => engine.close(),
  };
}

/**
 * One short forward pass through every head of every model, read back: a backend that cannot run or read (a
 * failing GPU, a missing kernel) is found before the server says ready, and WebGPU compiles its shaders here.
 * A failure is recorded in `health`; the server still starts, and /readyz answers 503 with the reason.
 */
export async function warmUp(engine: Engine, models: Iterable<ServedModel>, health: EngineHealth): Promise<void> {
  for (const m of models) {
    const enc = m.tokenizer.encode('');
    const row = { inputIds: enc.ids, typeIds: enc.typeIds }; // [CLS] [SEP]
    try {
      await engine.embed(m, { pooling: 'mean' }, [row]);
      if (m.mlm) await engine.fillMask(m, [{ inputIds: [...row.inputIds, m.tokenizer.maskTokenId], typeIds: [...row.typeIds, 0], masks: [row.inputIds.length], topK: 1 }]);
      if (m.task) await engine.logits(m, [m.task.kind === 'multiple-choice' ? [row, row] : [row]]);
    } catch (e) {
      health.backendError = `warm-up of model ${m.name} failed: ${(e as Error).message}`;
      return;
    }
  }
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
export async function workerEngine(options: ResolvedOptions, specs: ResolvedSpec[], metrics: Metrics): Promise<Engine> {
  const file = new URL('./inference-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(file))) {
    throw new ServerConfigError('inference', `'main', or 'worker' from the built package (${fileURLToPath(file)})`, 'worker without a built inference-worker.js');
  }
  const worker = new Worker(file, { workerData: { options, specs } });
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
