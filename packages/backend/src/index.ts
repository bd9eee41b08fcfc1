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
export { additiveMask } from './ops/additive-mask.js';
export { applyActivation, geluErf, geluTanh } from './ops/activations.js';
export { fusedLinear, type FusedLinearOptions } from './ops/fused-linear.js';
export { addLayerNorm } from './ops/add-layer-norm.js';
export { layerNormReference } from './ops/layer-norm.js';
export { embeddingsLayerNorm, type EmbeddingTables } from './ops/embeddings-layer-norm.js';
export { attentionReference, fusedAttention, fusedSelfAttention, type AttentionResult } from './ops/fused-attention.js';
export { fusedKernelsAvailable } from './kernels/webgpu/run-program.js';
export type { FusedActivation } from './kernels/webgpu/fused-linear.js';
export { adamwUpdate, type AdamWHyper, type AdamWSlotResult, type AdamWSlotUpdate } from './ops/adamw-update.js';
export { globalNormAndClip, sumOfSquares } from './ops/sum-squares.js';
export { dropout } from './ops/dropout.js';
export { dropoutHash, dropoutMask, dropoutThreshold, type DropoutDraw } from './ops/dropout-hash.js';
