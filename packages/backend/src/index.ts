export { Rng, type RngState } from './rng.js';
export { BackendError, OpShapeError, type BackendName } from './errors.js';
export { matMul } from './ops/mat-mul.js';
export { linear } from './ops/linear.js';
export { gatherRows } from './ops/gather-rows.js';
export { registerGradients } from './ops/register-gradients.js';
