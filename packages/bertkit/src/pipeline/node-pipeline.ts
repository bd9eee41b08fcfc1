// Node `pipeline()`: a model directory or a hub id (`org/name[@revision]`, resolved by @bertkit/hub into the HF
// cache shared with Python), loaded by @bertkit/heads' loadBert with the head the task needs.
import { loadBert, type LoadedBert } from '@bertkit/heads/node';
import { resolveModel, type ResolveModelOptions } from '@bertkit/hub';
import { checkTask, createPipeline, headKindFor, setupBackend } from './create-pipeline';
import type { Pipeline, PipelineOptions, Task } from './types';

/** Hub options of the Node pipeline (see @bertkit/hub's resolveModel). */
export type HubOptions = Pick<ResolveModelOptions, 'revision' | 'endpoint' | 'token' | 'cacheDir' | 'offline' | 'onProgress' | 'signal'> & {
  /** Where the tokenizer files are, when not beside the weights. */
  tokenizerDir?: string;
};

export type NodePipelineOptions<T extends Task> = PipelineOptions<T> & HubOptions;

/**
 * `await pipeline('fill-mask', 'bert-base-uncased')`: initialises the backend, resolves a directory or hub id
 * (downloading into the HF cache when needed), loads the model and returns a callable with HF pipeline outputs.
 * A LoadedBert passed in is used as it is and stays the caller's to dispose.
 */
export async function pipeline<T extends Task>(task: T, model: string | LoadedBert, options: NodePipelineOptions<T> = {} as NodePipelineOptions<T>): Promise<Pipeline<T>> {
  checkTask(task);
  const { revision, endpoint, token, cacheDir, offline, onProgress, signal, tokenizerDir, ...rest } = options;
  const pipelineOptions = rest as PipelineOptions<T>;
  const backend = await setupBackend(pipelineOptions);
  if (typeof model !== 'string') return createPipeline(task, model, pipelineOptions, backend, false);
  const { dir } = await resolveModel(model, { revision, endpoint, token, cacheDir, offline, onProgress, signal });
  const kind = headKindFor(task);
  const loaded = await loadBert(dir, { ...(kind ? { kind } : {}), tokenizerDir });
  try {
    return createPipeline(task, loaded, pipelineOptions, backend, true);
  } catch (e) {
    loaded.dispose();
    throw e;
  }
}
