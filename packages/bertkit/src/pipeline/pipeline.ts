// Browser-safe `pipeline()`: from a model already loaded (`loadBertFromFiles`) or from its files (fetched,
// dropped). Node adds directories and hub ids: `pipeline` of 'bertkit/node'.
import { loadBertFromFiles, type BertFiles, type LoadedBert } from '@bertkit/heads';
import { checkTask, createPipeline, headKindFor, setupBackend } from './create-pipeline';
import type { Pipeline, PipelineOptions, Task } from './types';

function isLoaded(m: LoadedBert | BertFiles): m is LoadedBert {
  return 'bert' in m && 'tokenizer' in m;
}

/**
 * `await pipeline('fill-mask', files)`: initialises the backend (`backend`, default @bertkit/backend's
 * preference), builds the model from its files (or takes a loaded one, which then stays the caller's to dispose)
 * and returns a callable with HF pipeline outputs.
 */
export async function pipeline<T extends Task>(task: T, model: LoadedBert | BertFiles, options: PipelineOptions<T> = {} as PipelineOptions<T>): Promise<Pipeline<T>> {
  checkTask(task);
  const backend = await setupBackend(options);
  if (isLoaded(model)) return createPipeline(task, model, options, backend, false);
  const kind = headKindFor(task);
  const loaded = loadBertFromFiles(model, kind ? { kind } : {});
  try {
    return createPipeline(task, loaded, options, backend, true);
  } catch (e) {
    loaded.dispose();
    throw e;
  }
}
