// Global-norm gradient clipping with torch.nn.utils.clip_grad_norm_ semantics (norm_type 2): the norm is taken
// over all gradients together, `coef = maxNorm / (norm + 1e-6)` clamped to at most 1, and every gradient is
// multiplied by it. google-research/bert clips the same way (tf.clip_by_global_norm, clip_norm=1.0).
import { fusedKernelsAvailable, globalNormAndClip, sumOfSquares } from '@bertkit/backend';
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

/**
 * Global L2 norm of a set of gradients, on the backend: sqrt(sum_i ||g_i||^2), per tensor first as torch. On
 * WebGPU sqrt(Σ g²) over all gradients at once (backend `sumOfSquares`: two dispatches; equal within float32
 * rounding).
 */
export function globalNormTensor(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  if (grads.size === 0) return tf.scalar(0);
  return tf.tidy(() => {
    if (fusedKernelsAvailable()) return tf.sqrt(sumOfSquares([...grads.values()])) as tf.Scalar;
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

/**
 * The global norm and torch's clipping coefficient `min(1, maxNorm / (norm + 1e-6))`, both scalars on the
 * backend (the caller disposes them): multiplying every gradient by `coef` clips them; AdamW.step takes it as
 * its `gradScale`, so that no separate multiply runs per gradient.
 */
export function clipCoefficient(grads: ReadonlyMap<string, tf.Tensor>, maxNorm = 1.0): { norm: tf.Scalar; coef: tf.Scalar } {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new TrainingConfigError(`clipByGlobalNorm maxNorm: expected a finite number > 0, got ${maxNorm}`);
  }
  // on WebGPU the norm and the coefficient come out of the sum-of-squares kernels (two dispatches in all)
  if (fusedKernelsAvailable() && grads.size > 0) return globalNormAndClip([...grads.values()], maxNorm);
  const norm = globalNormTensor(grads);
  const coef = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)))) as tf.Scalar; // clip_coef_clamped, []
  return { norm, coef };
}

/** Scales gradients so that their global norm is at most `maxNorm` (default 1.0, BERT's), all on the backend. */
export function clipByGlobalNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm = 1.0): ClipResult {
  const { norm, coef } = clipCoefficient(grads, maxNorm);
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) out.set(name, tf.mul(g, coef));
  coef.dispose();
  return { grads: out, norm };
}
