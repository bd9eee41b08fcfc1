// What a benchmark run is: a model (a preset or a model directory's config.json), a task, the batch shape, how
// many steps to time, and the backend. Validated once, with errors that name the field, the expected and the
// actual value.
import { BACKEND_NAMES, type BackendName } from '@bertkit/backend';
import { presets, type PresetName } from '@bertkit/encoder';

/**
 * `forward`: encoder forward pass (eval mode) ending with an awaited read of its outputs.
 * `train`: one pre-training step (MLM + NSP, 15 % of positions predicted, AdamW) through @bertkit/training's loop.
 * `finetune`: one sequence-classification step (pooled [CLS] → classifier, cross-entropy, AdamW), same loop.
 */
export type BenchTask = 'forward' | 'train' | 'finetune';

export const BENCH_TASKS: readonly BenchTask[] = ['forward', 'train', 'finetune'];

export interface BenchOptions {
  /** A preset name (tiny, mini, small, medium, base, large). Give this or `modelDir`. */
  preset?: PresetName;
  /** A model directory: only its config.json is read (the weights are random; speed does not depend on them). */
  modelDir?: string;
  task: BenchTask;
  /** Sequences per step. */
  batch: number;
  /** Tokens per sequence. */
  seq: number;
  /** Timed steps (the median is reported). Default 5. */
  steps?: number;
  /** Untimed steps first (kernel compilation, allocation). Default 1. */
  warmup?: number;
  /** The backend to use (initBackend's `backend`); default: initBackend's default preference. */
  backend?: BackendName;
  /** Seed of the weights, ids and dropout. Default 1. */
  seed?: number;
  /** `train`: activation checkpointing (each encoder layer recomputed in the backward pass). Default false. */
  checkpointLayers?: boolean;
  /** wasm: XNNPACK threads (initBackend's `wasmThreads`). Default 1. */
  wasmThreads?: number | 'cores';
  /**
   * What runs the steps: `tfjs` (default; the backend above) or `ort` (ONNX Runtime's CPU kernels through
   * onnxruntime-node: forward = the exported graph, train = @bertkit/pretraining's ort engine, finetune =
   * @bertkit/heads' ort engine).
   */
  engine?: BenchEngine;
  /** `ort`: threads per operator (intraOpNumThreads). Default: ORT's choice (the physical cores). */
  threads?: number;
}

export type BenchEngine = 'tfjs' | 'ort';

export interface ResolvedBenchOptions {
  preset: PresetName | null;
  modelDir: string | null;
  task: BenchTask;
  batch: number;
  seq: number;
  steps: number;
  warmup: number;
  backend: BackendName | undefined;
  seed: number;
  checkpointLayers: boolean;
  wasmThreads: number | 'cores' | undefined;
  engine: BenchEngine;
  threads: number | undefined;
}

export class BenchOptionsError extends Error {
  override readonly name = 'BenchOptionsError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`bench ${field}: expected ${expected}, got ${actual}`);
  }
}

function checkInt(field: string, x: unknown, min: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
    throw new BenchOptionsError(field, `an integer >= ${min}`, JSON.stringify(x));
  }
  return x;
}

export function resolveBenchOptions(o: BenchOptions): ResolvedBenchOptions {
  if ((o.preset === undefined) === (o.modelDir === undefined)) {
    throw new BenchOptionsError('preset/modelDir', 'exactly one of them', `preset ${JSON.stringify(o.preset)}, modelDir ${JSON.stringify(o.modelDir)}`);
  }
  if (o.preset !== undefined && !(o.preset in presets)) {
    throw new BenchOptionsError('preset', `one of ${Object.keys(presets).join(', ')}`, JSON.stringify(o.preset));
  }
  if (!BENCH_TASKS.includes(o.task)) {
    throw new BenchOptionsError('task', `one of ${BENCH_TASKS.join(', ')}`, JSON.stringify(o.task));
  }
  if (o.backend !== undefined && !BACKEND_NAMES.includes(o.backend)) {
    throw new BenchOptionsError('backend', `one of ${BACKEND_NAMES.join(', ')}`, JSON.stringify(o.backend));
  }
  const engine = o.engine ?? 'tfjs';
  if (engine !== 'tfjs' && engine !== 'ort') throw new BenchOptionsError('engine', 'tfjs or ort', JSON.stringify(o.engine));
  if (engine === 'ort' && o.checkpointLayers) throw new BenchOptionsError('checkpointLayers', 'false with engine ort (a tfjs option)', 'true');
  if (o.threads !== undefined && engine !== 'ort') throw new BenchOptionsError('threads', 'engine ort (ORT threads)', `engine ${engine}`);
  const seq = checkInt('seq', o.seq, o.task === 'train' ? 8 : 2); // [CLS] a [SEP] b [SEP] and at least one prediction
  return {
    preset: o.preset ?? null,
    modelDir: o.modelDir ?? null,
    task: o.task,
    batch: checkInt('batch', o.batch, 1),
    seq,
    steps: checkInt('steps', o.steps ?? 5, 1),
    warmup: checkInt('warmup', o.warmup ?? 1, 0),
    backend: o.backend,
    seed: checkInt('seed', o.seed ?? 1, 0),
    checkpointLayers: o.checkpointLayers ?? false,
    wasmThreads: o.wasmThreads,
    engine,
    threads: o.threads === undefined ? undefined : checkInt('threads', o.threads, 1),
  };
}

/** BERT's 15 % masking rate, as a fixed number of predictions per row (google-research/bert `max_predictions_per_seq`). */
export function predictionsPerRow(seq: number): number {
  return Math.max(1, Math.round(0.15 * seq));
}
