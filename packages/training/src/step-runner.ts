// What the training loop asks of an engine: run micro-batches (forward + backward, gradients accumulated), apply
// one clipped optimizer update, and report each step's loss, metrics and gradient norm when the loop logs. The
// default engine is tfjs (tfjs-step-runner.ts, on the current backend); another one (ONNX Runtime in
// @bertkit/pretraining) plugs in through `TrainOptions.runner`, and the loop's schedule, events, checkpoints and
// resumption stay the same.
import type { LossContext } from './loop.js';
import type { StepScalars } from './step-scalars.js';

export interface StepRunner<B> {
  /** Forward and backward pass of one micro-batch; its gradients are added to the pending update. */
  micro(batch: B, ctx: LossContext): void | Promise<void>;
  /** Drops the micro-batches run since the last update (an incomplete window at the end of the data). */
  discard(): void;
  /**
   * Clips the mean gradient of the pending micro-batches and applies the optimizer update with `lr`. `logged`:
   * the loop will report this step, so its gradient norm must be kept even without clipping.
   */
  update(lr: number, logged: boolean): void | Promise<void>;
  /** The steps updated since the last flush, in order (micro-batch means of loss and metrics, the norm). */
  flush(): Promise<StepScalars[]>;
  /**
   * Brings the training variables and the optimizer's state up to date (an engine that keeps its own copies
   * writes them back); the loop calls it before each checkpoint and before it returns.
   */
  sync(): Promise<void>;
  /** Frees what the runner holds (not the variables or the optimizer). */
  dispose(): void | Promise<void>;
}
