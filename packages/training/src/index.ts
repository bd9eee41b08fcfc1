export { AdamW, defaultDecay, type AdamWConfig, type AdamWState, type MomentTensor } from './adamw.js';
export { linearWarmupDecay, constantSchedule, type Schedule, type LinearScheduleConfig } from './schedule.js';
export { clipByGlobalNorm, globalNorm, type ClipResult } from './clip.js';
export { GradAccumulator } from './accumulate.js';
export { TrainingConfigError, CheckpointError } from './errors.js';
