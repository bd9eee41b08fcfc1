// Global-norm gradient clipping with torch.nn.utils.clip_grad_norm_ semantics (norm_type 2): the norm is taken
// over all gradients together, `coef = maxNorm / (norm + 1e-6)` clamped to at most 1, and every gradient is
// multiplied by it. google-research/bert clips the same way (tf.clip_by_global_norm, clip_norm=1.0).
import * as tf from '@tensorflow/tfjs-core';
import { TrainingConfigError } from './errors.js';

export interface ClipResult {
  /** The clipped gradients (new tensors; the caller disposes them and the inputs). */
  grads: Map<string, tf.Tensor>;
  /**
   * The global L2 norm before clipping, as a scalar tensor the caller reads (`await norm.data()`) and disposes.
   * Nothing here reads tensors back, so clipping never stalls (or, on WebGPU, fails) on a synchronous read.
   */
  norm: tf.Scalar;
}

/** Global L2 norm of a set of gradients, on the backend: sqrt(sum_i ||g_i||^2), per tensor first as torch. */
export function globalNormTensor(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  if (grads.size === 0) return tf.scalar(0);
  return tf.tidy(() => {
    // each [] (torch: norm of each grad). sqrt(sum(square)) rather than tf.norm, which computes pow(abs(g), 2):
    // two passes more, and Pow is an elementwise powf call on wasm (a fifth of a step for the word embeddings).
    const norms = [...grads.values()].map((g) => tf.sqrt(tf.sum(tf.square(g))));
    return tf.norm(tf.stack(norms)) as tf.Scalar; // torch.norm(torch.stack(norms))
  });
}

/** Global L2 norm as a number (an awaited read). */
export async function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): Promise<number> {
  const t = globalNormTensor(grads);
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

/** Scales gradients so that their global norm is at most `maxNorm` (default 1.0, BERT's), all on the backend. */
export function clipByGlobalNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm = 1.0): ClipResult {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new TrainingConfigError(`clipByGlobalNorm maxNorm: expected a finite number > 0, got ${maxNorm}`);
  }
  const norm = globalNormTensor(grads);
  const coef = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)))); // clip_coef_clamped, []
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) out.set(name, tf.mul(g, coef));
  coef.dispose();
  return { grads: out, norm };
}
