// `pipeline()`'s dispatcher, browser-safe: a loaded model + a task → a callable. Each task is a few lines over
// @bertkit/heads (tasks/*.ts); this file only picks one, merges options and maps lists of inputs.
import { initBackend, type BackendChoice } from '@bertkit/backend';
import type { ExternalForward, HeadKind, LoadedBert } from '@bertkit/heads';
import { PipelineError } from './errors';
import { runFeatureExtraction } from './tasks/feature-extraction';
import { runFillMask } from './tasks/fill-mask';
import { runMultipleChoice } from './tasks/multiple-choice';
import { runQuestionAnswering } from './tasks/question-answering';
import { runTextClassification } from './tasks/text-classification';
import { runTokenClassification } from './tasks/token-classification';
import { TASKS, type CommonOptions, type Pipeline, type PipelineOptions, type Task, type Tasks } from './types';

/** The task head a task needs loaded (null: the encoder, and for fill-mask its MLM head). */
export function headKindFor(task: Task): HeadKind | null {
  switch (task) {
    case 'text-classification':
    case 'sentiment-analysis':
      return 'sequence-classification';
    case 'token-classification':
    case 'ner':
      return 'token-classification';
    case 'question-answering':
      return 'question-answering';
    case 'multiple-choice':
      return 'multiple-choice';
    default:
      return null;
  }
}

export function checkTask(task: string): Task {
  if (!(TASKS as readonly string[]).includes(task)) throw new PipelineError('task', TASKS.join(' | '), JSON.stringify(task));
  return task as Task;
}

/** `backend` option → initBackend (or nothing for `current`). */
export async function setupBackend(options: CommonOptions): Promise<BackendChoice | null> {
  if (options.backend === 'current') return null;
  return initBackend(options.backend === undefined ? {} : { backend: options.backend });
}

type AnyRun = (m: LoadedBert, input: unknown, o: Record<string, unknown>, maxLength: number, inList: boolean, forward?: ExternalForward) => Promise<unknown>;

/** An engine outside tfjs that computes the forward passes (Node: ONNX Runtime, `engine: 'ort'`); the pipeline owns it. */
export interface PipelineEngine extends ExternalForward {
  dispose(): Promise<void>;
}

function runnerOf(task: Task): AnyRun {
  switch (task) {
    case 'fill-mask':
      return runFillMask as AnyRun;
    case 'feature-extraction':
      return runFeatureExtraction as AnyRun;
    case 'text-classification':
    case 'sentiment-analysis':
      return runTextClassification as AnyRun;
    case 'token-classification':
    case 'ner':
      return runTokenClassification as AnyRun;
    case 'question-answering':
      return runQuestionAnswering as AnyRun;
    case 'multiple-choice':
      return (m, input, _o, maxLength, _inList, forward) => runMultipleChoice(m, input as Tasks['multiple-choice']['input'], maxLength, forward);
  }
}

/**
 * The callable for a loaded model. `owned`: dispose() frees the model (pipeline() loaded it). Options given here
 * are the defaults of every call; a call's options override them. `engine`: computes the forward passes instead
 * of tfjs (the same post-processing); dispose() frees it.
 */
export function createPipeline<T extends Task>(task: T, model: LoadedBert, options: PipelineOptions<T>, backend: BackendChoice | null, owned: boolean, engine?: PipelineEngine): Pipeline<T> {
  const run = runnerOf(checkTask(task));
  const { backend: _b, max_length, engine: _e, threads: _t, ...defaults } = options as PipelineOptions<T> & Record<string, unknown>;
  const maxLength = max_length ?? model.tokenizer.modelMaxLength ?? model.config.maxPositionEmbeddings;
  if (!(Number.isInteger(maxLength) && maxLength >= 2 && maxLength <= model.config.maxPositionEmbeddings)) {
    throw new PipelineError('max_length', `an integer in [2, ${model.config.maxPositionEmbeddings}]`, String(maxLength));
  }
  let disposed = false;
  const call = async (input: unknown, callOptions: Record<string, unknown> = {}) => {
    if (disposed) throw new PipelineError(`${task} pipeline`, 'a pipeline that was not disposed', 'a disposed one');
    const o = { ...defaults, ...callOptions };
    if (!Array.isArray(input)) return run(model, input, o, maxLength, false, engine);
    const out: unknown[] = [];
    for (const x of input) out.push(await run(model, x, o, maxLength, true, engine)); // one at a time, as HF (batch_size 1)
    return out;
  };
  return Object.assign(call, {
    task,
    model,
    backend,
    engine: engine ? 'ort' : 'tfjs',
    dispose() {
      if (disposed) return;
      disposed = true;
      if (owned) model.dispose();
      void engine?.dispose();
    },
  }) as unknown as Pipeline<T>;
}
