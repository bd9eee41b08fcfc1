// Node `pipeline()`: a model directory or a hub id (`org/name[@revision]`, resolved by @bertkit/hub into the HF
// cache shared with Python), loaded by @bertkit/heads' loadBert with the head the task needs.
import { loadBert, type LoadedBert } from '@bertkit/heads/node';
import { resolveModel, type ResolveModelOptions } from '@bertkit/hub';
import { createOrtBert } from '@bertkit/onnx/node';
import { checkTask, createPipeline, headKindFor, setupBackend } from './create-pipeline';
import { PipelineError } from './errors';
import type { EngineName, Pipeline, PipelineOptions, Task } from './types';

/** Hub options of the Node pipeline (see @bertkit/hub's resolveModel). */
export type HubOptions = Pick<ResolveModelOptions, 'revision' | 'endpoint' | 'token' | 'cacheDir' | 'offline' | 'onProgress' | 'signal'> & {
  /** Where the tokenizer files are, when not beside the weights. */
  tokenizerDir?: string;
};

/** The engine of the Node pipeline. */
export interface EngineOptions {
  /**
   * `tfjs` (default): the tfjs backend of `backend`. `ort`: ONNX Runtime (onnxruntime-node, an optional package:
   * `npm install onnxruntime-node`) on the checkpoint's graph built in memory by @bertkit/onnx; CPU, no training.
   */
  engine?: EngineName;
  /** ORT threads per forward pass (intraOpNumThreads); default ORT's (the physical cores). `engine: 'ort'` only. */
  threads?: number;
}

export type NodePipelineOptions<T extends Task> = PipelineOptions<T> & HubOptions & EngineOptions;

/** `engine` and `threads`, checked (a PipelineError names the option). */
function checkEngine(o: EngineOptions): EngineOptions {
  if (o.engine !== undefined && o.engine !== 'tfjs' && o.engine !== 'ort') throw new PipelineError('engine', "'tfjs' | 'ort'", JSON.stringify(o.engine));
  if (o.threads !== undefined) {
    if (o.engine !== 'ort') throw new PipelineError('threads', "engine: 'ort' (ORT's threads)", `engine: '${o.engine ?? 'tfjs'}'`);
    if (!(Number.isInteger(o.threads) && o.threads >= 1)) throw new PipelineError('threads', 'a positive integer', String(o.threads));
  }
  return o;
}

/** The pipeline over `loaded`, with an ORT session of it when `engine: 'ort'`. */
async function withEngine<T extends Task>(task: T, loaded: LoadedBert, o: PipelineOptions<T>, backend: Awaited<ReturnType<typeof setupBackend>>, owned: boolean, e: EngineOptions): Promise<Pipeline<T>> {
  const ort = e.engine === 'ort' ? await createOrtBert(loaded, e.threads === undefined ? {} : { threads: e.threads }) : undefined;
  try {
    return createPipeline(task, loaded, o, backend, owned, ort);
  } catch (err) {
    await ort?.dispose();
    throw err;
  }
}

/**
 * `await pipeline('fill-mask', 'bert-base-uncased')`: initialises the backend, resolves a directory or hub id
 * (downloading into the HF cache when needed), loads the model and returns a callable with HF pipeline outputs.
 * A LoadedBert passed in is used as it is and stays the caller's to dispose.
 */
export async function pipeline<T extends Task>(task: T, model: string | LoadedBert, options: NodePipelineOptions<T> = {} as NodePipelineOptions<T>): Promise<Pipeline<T>> {
  checkTask(task);
  const { revision, endpoint, token, cacheDir, offline, onProgress, signal, tokenizerDir, engine, threads, ...rest } = options;
  const pipelineOptions = rest as PipelineOptions<T>;
  const engineOptions = checkEngine({ engine, threads });
  const backend = await setupBackend(pipelineOptions); // tfjs loads the checkpoint, whichever engine runs it
  if (typeof model !== 'string') return withEngine(task, model, pipelineOptions, backend, false, engineOptions);
  const { dir } = await resolveModel(model, { revision, endpoint, token, cacheDir, offline, onProgress, signal });
  const kind = headKindFor(task);
  const loaded = await loadBert(dir, { ...(kind ? { kind } : {}), tokenizerDir });
  try {
    return await withEngine(task, loaded, pipelineOptions, backend, true, engineOptions);
  } catch (e) {
    loaded.dispose();
    throw e;
  }
}
