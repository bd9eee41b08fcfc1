// Global-norm gradient clipping with torch.nn.utils.clip_grad_norm_ semantics (norm_type 2): the norm is taken
// over all gradients together, `coef = maxNorm / (norm + 1e-6)` clamped to at most 1, and every gradient is
// multiplied by it. google-research/bert clips the same way (tf.clip_by_global_norm, clip_norm=1.0).
import * as tf from '@tensorflow/tfjs-core';
import { TrainingConfigError } from './errors.js';

export interface ClipResult {
  /** The clipped gradients (new tensors; the caller disposes them and the inputs). */
  grads: Map<string, tf.Tensor>;
  /** The global L2 norm before clipping. */
  norm: number;
}

/** Global L2 norm of a set of gradients: sqrt(sum_i ||g_i||^2), computed per tensor first as torch does. */
export function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): number {
  if (grads.size === 0) return 0;
  return tf.tidy(() => {
    const norms = [...grads.values()].map((g) => tf.norm(g)); // each [] (torch: norm of each grad)
    return tf.norm(tf.stack(norms)).dataSync()[0]; // torch.norm(torch.stack(norms))
  });
}

/** Scales gradients so that their global norm is at most `maxNorm` (default 1.0, BERT's). */
export function clipByGlobalNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm = 1.0): ClipResult {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new TrainingConfigError(`clipByGlobalNorm maxNorm: expected a finite number > 0, got ${maxNorm}`);
  }
  const norm = globalNorm(grads);
  const coef = Math.min(1, maxNorm / (norm + 1e-6)); // clip_coef_clamped
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) out.set(name, tf.tidy(() => tf.mul(g, tf.scalar(coef))));
  return { grads: out, norm };
}
