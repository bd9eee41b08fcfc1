export { Rng, type RngState } from './rng.js';
export { BackendError, OpShapeError } from './errors.js';
export {
  BACKEND_NAMES,
  DEFAULT_PREFERENCE,
  type AdapterSummary,
  type BackendChoice,
  type BackendName,
  type DawnAttempt,
  type InitBackendOptions,
  type WebGpuOptions,
} from './types.js';
export { initBackend } from './init-backend.js';
export { describeBackend, type BackendMemory, type BackendReport } from './describe-backend.js';
export { matMul } from './ops/mat-mul.js';
export { linear } from './ops/linear.js';
export { gatherRows } from './ops/gather-rows.js';
export { accuracy, crossEntropy } from './ops/cross-entropy.js';
export { registerGradients } from './ops/register-gradients.js';
