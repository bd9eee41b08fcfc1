// The fine-tuning recipe of the paper (§4, Appendix A.3; google-research/bert run_classifier.py): AdamW with
// weight decay 0.01, linear warm-up over the first 10 % of steps then linear decay, global-norm clipping at 1.0,
// dropout 0.1, lr in {5e-5, 3e-5, 2e-5}, batch 32, 3 epochs (2 for SQuAD), driven by @bertkit/training's loop.
import { Rng, type RngState } from '@bertkit/backend';
import { AdamW, DEFAULT_WARMUP_PROPORTION, linearWarmupDecay, train, warmupSteps, type AdamWState, type CheckpointRequest, type StepRunner, type TrainEvent, type TrainResult } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { batchInputs, batchTokens, type TaskBatch } from './batch';
import { HeadConfigError } from './errors';
import { externalTaskLogits, isExternalForward, type ExternalForward } from './external-forward';
import { taskLoss } from './losses';
import type { BertTaskModel } from './task-model';

export interface FineTuneConfig {
  /** Peak learning rate (paper: best of 5e-5, 3e-5, 2e-5 on dev). Default 5e-5. */
  lr?: number;
  batchSize?: number;
  epochs?: number;
  /** Stop after this many optimizer steps (quick runs); default epochs × ceil(N / batchSize). */
  maxSteps?: number;
  warmupProportion?: number;
  weightDecay?: number;
  clipNorm?: number | null;
  /** Seeds the data order (one shuffle per epoch) and the dropout masks. */
  seed?: number;
  logEvery?: number;
}

export interface ResolvedFineTuneConfig {
  lr: number;
  batchSize: number;
  epochs: number;
  maxSteps: number | null;
  warmupProportion: number;
  weightDecay: number;
  clipNorm: number | null;
  seed: number;
  logEvery: number;
}

export const FINETUNE_DEFAULTS: ResolvedFineTuneConfig = {
  lr: 5e-5,
  batchSize: 32,
  epochs: 3,
  maxSteps: null,
  warmupProportion: DEFAULT_WARMUP_PROPORTION,
  weightDecay: 0.01,
  clipNorm: 1.0,
  seed: 42,
  logEvery: 1,
};

export function resolveFineTuneConfig(c: FineTuneConfig = {}): ResolvedFineTuneConfig {
  const r: ResolvedFineTuneConfig = { ...FINETUNE_DEFAULTS, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) };
  const posInt = (f: keyof ResolvedFineTuneConfig, v: unknown) => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1)) throw new HeadConfigError(`finetune.${f}`, 'a positive integer', String(v));
  };
  posInt('batchSize', r.batchSize);
  posInt('epochs', r.epochs);
  posInt('logEvery', r.logEvery);
  if (r.maxSteps !== null) posInt('maxSteps', r.maxSteps);
  if (!(r.lr > 0 && Number.isFinite(r.lr))) throw new HeadConfigError('finetune.lr', 'a positive number', String(r.lr));
  if (!(r.warmupProportion >= 0 && r.warmupProportion < 1)) throw new HeadConfigError('finetune.warmupProportion', 'a number in [0, 1)', String(r.warmupProportion));
  if (!Number.isInteger(r.seed)) throw new HeadConfigError('finetune.seed', 'an integer', String(r.seed));
  return r;
}

/** Steps of a run over `n` features. */
export function totalSteps(n: number, c: ResolvedFineTuneConfig): number {
  const perEpoch = Math.ceil(n / c.batchSize);
  return c.maxSteps ?? perEpoch * c.epochs;
}

/**
 * Endless batches: epoch e visits the features in the order of a shuffle seeded by (seed, e), so the i-th batch
 * is the same in every run and a resumed run skips to it by position.
 */
export function* epochBatches<F>(features: F[], collate: (fs: F[]) => TaskBatch, batchSize: number, seed: number, skip = 0): Generator<TaskBatch> {
  if (features.length === 0) throw new HeadConfigError('features', 'at least one training feature', '0');
  const perEpoch = Math.ceil(features.length / batchSize);
  for (let e = Math.floor(skip / perEpoch); ; e++) {
    const order = new Rng(seed * 1009 + e).shuffle(features.map((_, i) => i));
    for (let b = e === Math.floor(skip / perEpoch) ? skip % perEpoch : 0; b < perEpoch; b++) {
      yield collate(order.slice(b * batchSize, (b + 1) * batchSize).map((i) => features[i]));
    }
  }
}

export interface FineTuneRun<F> {
  model: BertTaskModel;
  features: F[];
  collate: (fs: F[]) => TaskBatch;
  config?: FineTuneConfig;
  onEvent?: (e: TrainEvent) => void | Promise<void>;
  /** Checkpoint writer (Node: `checkpointWriter` of '@bertkit/heads/node') and how often. */
  checkpoint?: (req: CheckpointRequest, optimizer: AdamW) => Promise<string | void> | string | void;
  checkpointEvery?: number;
  /** Resume: steps done, data position, RNG and optimizer state from a checkpoint. */
  resume?: { step: number; dataPosition: number; rngState: RngState | null; optimizer: AdamWState };
  signal?: AbortSignal;
  /**
   * Another engine than tfjs for the steps (Node: `createOrtTaskRunner` of '@bertkit/heads/node'), made from the run's
   * optimizer (its state already resumed) and clipping threshold; the loop disposes it.
   */
  runner?: (optimizer: AdamW, clipNorm: number | null) => Promise<StepRunner<TaskBatch>>;
}

/** Fine-tunes every parameter (encoder and head) of `model` on `features`. */
export async function fineTune<F>(run: FineTuneRun<F>): Promise<TrainResult & { config: ResolvedFineTuneConfig }> {
  const c = resolveFineTuneConfig(run.config);
  const steps = totalSteps(run.features.length, c);
  const optimizer = new AdamW({ weightDecay: c.weightDecay, eps: 1e-6 });
  if (run.resume) optimizer.setState(run.resume.optimizer);
  const rng = run.resume?.rngState ? Rng.fromState(run.resume.rngState) : new Rng(c.seed);
  const startStep = run.resume?.step ?? 0;
  const dataPosition = run.resume?.dataPosition ?? 0;
  const model = run.model;
  try {
    const runner = run.runner ? await run.runner(optimizer, c.clipNorm) : undefined;
    const result = await train<TaskBatch>({
      params: model.parameters(),
      lossFn: (batch, ctx) => {
        const logits = model.forward(batchInputs(batch), { training: ctx.training, dropoutRng: ctx.rng });
        return { loss: taskLoss(model, logits, batch) };
      },
      data: epochBatches(run.features, run.collate, c.batchSize, c.seed, dataPosition),
      optimizer,
      schedule: linearWarmupDecay({ peakLr: c.lr, warmupSteps: warmupSteps(steps, c.warmupProportion), totalSteps: steps }),
      steps,
      startStep,
      dataPosition,
      clipNorm: c.clipNorm,
      logEvery: c.logEvery,
      onEvent: async (e) => {
        if (run.onEvent) await run.onEvent(e);
        // Yield to the event loop after each step (a macrotask, not just a microtask): a long run stays responsive
        // to signals, progress output and a test runner's RPC.
        if (e.type === 'step') await new Promise((resolve) => setTimeout(resolve, 0));
      },
      checkpointEvery: run.checkpointEvery,
      checkpoint: run.checkpoint ? (req) => run.checkpoint!(req, optimizer) : undefined,
      rng,
      tokensInBatch: batchTokens,
      signal: run.signal,
      ...(runner ? { runner } : {}),
    });
    return { ...result, config: c };
  } finally {
    optimizer.dispose();
  }
}

/** One feature's logits: row-major values and their shape ([K], [T, K] with T the batch's padded length, [T, 2], [C]). */
export interface FeatureLogits {
  data: Float32Array;
  shape: number[];
}

/** Splits a batch's logits [B, ...] (read row-major) into one FeatureLogits per row. */
function splitRows(data: Float32Array, shape: number[], out: FeatureLogits[]): void {
  const b = shape[0];
  const per = data.length / b;
  for (let j = 0; j < b; j++) out.push({ data: data.slice(j * per, (j + 1) * per), shape: shape.slice(1) });
}

/**
 * Logits of every feature, batch by batch (dropout off), each batch read with one awaited read. `model`: the
 * tfjs task model, or an external engine (ONNX Runtime) built from the same checkpoint.
 */
export async function predictLogits<F>(model: BertTaskModel | ExternalForward, features: F[], collate: (fs: F[]) => TaskBatch, batchSize = 32): Promise<FeatureLogits[]> {
  const out: FeatureLogits[] = [];
  for (let i = 0; i < features.length; i += batchSize) {
    const batch = collate(features.slice(i, i + batchSize));
    const logits = await batchLogits(model, batch);
    splitRows(logits.data, logits.shape, out);
  }
  return out;
}

/** The task logits of one padded batch ([B, K], [B, T, K], [B, T, 2], [B, C]), read back. */
export async function batchLogits(model: BertTaskModel | ExternalForward, batch: Pick<TaskBatch, 'shape' | 'inputIds' | 'typeIds' | 'attentionMask'>): Promise<{ data: Float32Array; shape: number[] }> {
  if (isExternalForward(model)) return externalTaskLogits(model, batch, batch.shape);
  const logits = tf.tidy(() => model.forward(batchInputs(batch)));
  try {
    return { data: (await logits.data()) as Float32Array, shape: logits.shape };
  } finally {
    logits.dispose();
  }
}
