export { AdamW, defaultDecay, type AdamWConfig, type AdamWState, type MomentTensor } from './adamw.js';
export { DEFAULT_WARMUP_PROPORTION, linearWarmupDecay, constantSchedule, warmupSteps, type Schedule, type LinearScheduleConfig } from './schedule.js';
export { clipByGlobalNorm, clipCoefficient, globalNorm, globalNormTensor, type ClipResult } from './clip.js';
export { GradAccumulator } from './accumulate.js';
export { TrainingConfigError, CheckpointError } from './errors.js';
export {
  train,
  skipItems,
  type TrainOptions,
  type TrainResult,
  type LossFn,
  type LossOutput,
  type LossContext,
  type CheckpointRequest,
} from './loop.js';
export type { TrainEvent, StartEvent, StepEvent, CheckpointEvent, DoneEvent } from './events.js';
export {
  makeTrainerState,
  parseTrainerState,
  optimizerToTensors,
  optimizerFromTensors,
  TRAINER_STATE_FORMAT,
  OPTIMIZER_FORMAT,
  type TrainerState,
  type F32Tensor,
} from './checkpoint.js';
export type { StepRunner } from './step-runner.js';
export { TfjsStepRunner, type TfjsStepRunnerOptions } from './tfjs-step-runner.js';
export type { StepScalars } from './step-scalars.js';
