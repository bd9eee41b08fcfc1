// A generic training loop shared by pre-training and fine-tuning: the task supplies a loss over named trainable
// variables; the loop does gradient accumulation, global-norm clipping, the scheduled AdamW update, progress
// events and periodic checkpoints. Everything that decides the numbers (parameters, optimizer moments and step
// counts, the RNG handed to the loss, the data position) is in the checkpoint, so a resumed run repeats the
// uninterrupted run's losses bit for bit on a deterministic backend.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng, RngState } from '@bertkit/backend';
import type { AdamW } from './adamw.js';
import { macrotask } from './macrotask.js';
import { TrainingConfigError } from './errors.js';
import type { StepRunner } from './step-runner.js';
import { TfjsStepRunner } from './tfjs-step-runner.js';
import type { StepEvent, TrainEvent } from './events.js';
import type { Schedule } from './schedule.js';

/** What the loss function returns: the scalar to minimise and optional scalar metrics (e.g. `mlmAccuracy`). */
export interface LossOutput {
  loss: tf.Scalar;
  metrics?: Record<string, tf.Scalar>;
}

export interface LossContext {
  /** True in the training loop (dropout on); evaluation calls pass false. */
  training: boolean;
  /** Optimizer steps done before this micro-batch. */
  step: number;
  /** The run's RNG (dropout masks etc.); its state is checkpointed. */
  rng: Rng | undefined;
}

export type LossFn<B> = (batch: B, ctx: LossContext) => LossOutput;

/** What a checkpoint writer receives; it returns where it wrote (reported in the `checkpoint` event). */
export interface CheckpointRequest {
  step: number;
  dataPosition: number;
  rngState: RngState | null;
}

export interface TrainOptions<B> {
  /** Named trainable variables (HF names); gradients are taken with respect to exactly these. */
  params: ReadonlyMap<string, tf.Variable>;
  lossFn: LossFn<B>;
  /** Micro-batches, positioned at `dataPosition` (the caller skips what a resumed run already consumed). */
  data: AsyncIterable<B> | Iterable<B>;
  optimizer: AdamW;
  schedule: Schedule;
  /** Total optimizer steps of the run; it stops when `step` reaches this. */
  steps: number;
  /** Steps already done (resume). Default 0. */
  startStep?: number;
  /** Micro-batches consumed already (resume). Default `startStep * accumulate`. */
  dataPosition?: number;
  /** Micro-batches per optimizer step. Default 1. */
  accumulate?: number;
  /** Global-norm clipping threshold; null disables. Default 1.0 (BERT's). */
  clipNorm?: number | null;
  /** Emit a `step` event every this many steps (and after the last). Default 1. Losses, metrics and the grad
   * norm stay on the backend in between and are read back in one batched read when a step logs. */
  logEvery?: number;
  onEvent?: (e: TrainEvent) => void | Promise<void>;
  /** Call `checkpoint` every this many steps (and at the end). 0 or undefined: only at the end, if given. */
  checkpointEvery?: number;
  checkpoint?: (req: CheckpointRequest) => Promise<string | void> | string | void;
  /** Passed to the loss function; its state goes into checkpoints. */
  rng?: Rng;
  /** Tokens in a micro-batch, for `tokensPerSec`. */
  tokensInBatch?: (batch: B) => number;
  /** Stops after the current step (a checkpoint is written when `checkpoint` is given). */
  signal?: AbortSignal;
  /**
   * The engine that runs the steps. Default: tfjs on the current backend (`lossFn` differentiated by tfjs,
   * `optimizer` applied to `params`, clipped at `clipNorm`). Another runner (e.g. the ONNX Runtime one of
   * @bertkit/pretraining) computes the steps itself and brings `params` and `optimizer` up to date in `sync()`,
   * which the loop calls before each checkpoint and at the end. The loop disposes the runner.
   */
  runner?: StepRunner<B>;
}

export interface TrainResult {
  step: number;
  dataPosition: number;
  reason: 'steps' | 'data' | 'aborted';
  /** Loss of every step this call ran, in order (for tests and summaries). */
  losses: number[];
}

function checkInt(field: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) {
    throw new TrainingConfigError(`train ${field}: expected an integer >= ${min}, got ${x}`);
  }
}

/** The options' numbers and variables, checked before anything runs. */
function checkOptions<B>(opts: TrainOptions<B>): void {
  checkInt('steps', opts.steps, 0);
  checkInt('startStep', opts.startStep ?? 0, 0);
  checkInt('accumulate', opts.accumulate ?? 1, 1);
  checkInt('logEvery', opts.logEvery ?? 1, 1);
  if (opts.checkpointEvery !== undefined) checkInt('checkpointEvery', opts.checkpointEvery, 0);
  const clipNorm = opts.clipNorm;
  if (clipNorm !== undefined && clipNorm !== null && !(Number.isFinite(clipNorm) && clipNorm > 0)) {
    throw new TrainingConfigError(`train clipNorm: expected a finite number > 0 or null, got ${clipNorm}`);
  }
  if (opts.params.size === 0) throw new TrainingConfigError('train params: expected at least one variable, got 0');
  for (const [name, v] of opts.params) {
    if (!v.trainable) throw new TrainingConfigError(`train params: "${name}" expected a trainable variable, got trainable=false`);
  }
}

/** Trains until `steps`, the end of the data, or the abort signal. */
export async function train<B>(opts: TrainOptions<B>): Promise<TrainResult> {
  try {
    checkOptions(opts);
  } catch (e) {
    await opts.runner?.dispose(); // the loop owns a runner it is given, also when it refuses the options
    throw e;
  }
  const accumulate = opts.accumulate ?? 1;
  const startStep = opts.startStep ?? 0;
  const logEvery = opts.logEvery ?? 1;
  const clipNorm = opts.clipNorm === undefined ? 1.0 : opts.clipNorm;
  let step = startStep;
  let dataPosition = opts.dataPosition ?? startStep * accumulate;
  const emit = async (e: TrainEvent) => {
    if (opts.onEvent) await opts.onEvent(e);
  };
  const runner = opts.runner ?? new TfjsStepRunner({ params: opts.params, lossFn: opts.lossFn, optimizer: opts.optimizer, clipNorm });
  const writeCheckpoint = async () => {
    if (!opts.checkpoint) return;
    await runner.sync();
    const path = await opts.checkpoint({ step, dataPosition, rngState: opts.rng ? opts.rng.state() : null });
    await emit({ type: 'checkpoint', step, path: path ?? undefined });
  };

  const t0 = performance.now();
  let tokens = 0;
  const losses: number[] = [];
  await emit({ type: 'start', step, totalSteps: opts.steps });
  const iter = (Symbol.asyncIterator in opts.data ? opts.data[Symbol.asyncIterator]() : opts.data[Symbol.iterator]()) as
    | AsyncIterator<B>
    | Iterator<B>;
  let reason: TrainResult['reason'] = 'steps';
  let lastCheckpointStep = -1;
  try {
    while (step < opts.steps) {
      if (opts.signal) await macrotask(); // let a signal handler or timer that aborts run before the next step
      if (opts.signal?.aborted) {
        reason = 'aborted';
        break;
      }
      let n = 0;
      for (; n < accumulate; n++) {
        const next = await iter.next();
        if (next.done) break;
        const batch = next.value;
        await runner.micro(batch, { training: true, step, rng: opts.rng });
        dataPosition += 1;
        if (opts.tokensInBatch) tokens += opts.tokensInBatch(batch);
      }
      if (n < accumulate) {
        // An incomplete accumulation window at the end of the data is dropped, not applied (its update would
        // weigh fewer examples than the others'); its micro-batches do not advance the data position either.
        dataPosition -= n;
        runner.discard();
        reason = 'data';
        break;
      }
      const logged = step + 1 === opts.steps || (step + 1) % logEvery === 0;
      const lr = opts.schedule(step);
      await runner.update(lr, logged);
      step += 1;
      if (logged) {
        // the one read-back of these steps: every pending loss, metric and norm in one batched read
        const read = await runner.flush();
        losses.push(...read.map((r) => r.loss));
        const { loss, metrics, gradNorm: norm } = read[read.length - 1];
        const elapsedSec = (performance.now() - t0) / 1000;
        const done = step - startStep;
        const stepsPerSec = done / Math.max(elapsedSec, 1e-9);
        const e: StepEvent = {
          type: 'step',
          step,
          totalSteps: opts.steps,
          loss,
          lr,
          gradNorm: norm,
          metrics,
          dataPosition,
          stepsPerSec,
          tokensPerSec: opts.tokensInBatch ? tokens / Math.max(elapsedSec, 1e-9) : undefined,
          elapsedSec,
          etaSec: (opts.steps - step) / Math.max(stepsPerSec, 1e-9),
        };
        for (const k of ['mlmLoss', 'nspLoss', 'mlmAccuracy', 'nspAccuracy'] as const) {
          if (k in metrics) e[k] = metrics[k];
        }
        await emit(e);
      }
      if (opts.checkpointEvery && step % opts.checkpointEvery === 0) {
        await writeCheckpoint();
        lastCheckpointStep = step;
      }
    }
    // steps that ran but were not logged (the data ran out, or the run was aborted): their losses, one read
    losses.push(...(await runner.flush()).map((r) => r.loss));
    await runner.sync();
    if (lastCheckpointStep !== step && step > startStep) await writeCheckpoint();
  } finally {
    await runner.dispose();
    await iter.return?.();
  }
  await emit({
    type: 'done',
    step,
    reason,
    elapsedSec: (performance.now() - t0) / 1000,
    loss: losses.length > 0 ? losses[losses.length - 1] : Number.NaN,
  });
  return { step, dataPosition, reason, losses };
}

/** Skips the first `n` items of an iterable (resume at a data position). */
export async function* skipItems<B>(data: AsyncIterable<B> | Iterable<B>, n: number): AsyncGenerator<B> {
  let i = 0;
  for await (const x of data) {
    if (i++ >= n) yield x;
  }
}
