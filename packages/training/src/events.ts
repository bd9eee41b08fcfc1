// Events a training run emits, for the CLI's progress bar, the browser's chart and the metrics JSONL file.

/** Emitted once before the first step (also on resume, with the restored step). */
export interface StartEvent {
  type: 'start';
  /** Optimizer steps already done (0, or the resumed step). */
  step: number;
  totalSteps: number;
}

/** Emitted after every `logEvery`-th optimizer step and after the last one. */
export interface StepEvent {
  type: 'step';
  /** Optimizer steps done, 1-based: the first update reports 1. */
  step: number;
  totalSteps: number;
  /** This step's loss, averaged over its micro-batches. */
  loss: number;
  /** Learning rate used by this step's update. */
  lr: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Pre-training metrics when the task reports them (keys of `metrics` with the same names). */
  mlmLoss?: number;
  nspLoss?: number;
  mlmAccuracy?: number;
  nspAccuracy?: number;
  /** Every scalar metric the task returned, averaged over micro-batches. */
  metrics: Record<string, number>;
  /** Micro-batches consumed since the start of the run (the data position). */
  dataPosition: number;
  /** Throughput since this run (or resume) started. */
  stepsPerSec: number;
  /** Tokens per second when the task counts tokens (`tokensInBatch`), else undefined. */
  tokensPerSec?: number;
  elapsedSec: number;
  /** Remaining time at the current throughput. */
  etaSec: number;
}

export interface CheckpointEvent {
  type: 'checkpoint';
  step: number;
  /** Where the checkpoint writer put it (whatever it returned). */
  path: string | undefined;
}

export interface DoneEvent {
  type: 'done';
  step: number;
  /** `steps`: reached the requested count; `data`: the data ran out; `aborted`: the signal fired. */
  reason: 'steps' | 'data' | 'aborted';
  elapsedSec: number;
  /** Loss of the last step, NaN when no step ran. */
  loss: number;
}

export type TrainEvent = StartEvent | StepEvent | CheckpointEvent | DoneEvent;
