import * as tf from '@tensorflow/tfjs-core';

// LayerNorm over the last axis (Ba et al. 2016; HF `nn.LayerNorm`) as tfjs ops: the fused ops' fallback and
// their backward pass. Biased variance, eps inside the square root, then gamma and beta.

/** [..., H] -> [..., H] */
export function layerNormReference<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  const { mean, variance } = tf.moments(x, x.rank - 1, true); // [..., 1] each
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))); // [..., H]
  return tf.add(tf.mul(normed, gamma), beta) as T; // [..., H]
}

/**
 * The gradients of `layerNormReference(v, gamma, beta, eps)` given dy: with x̂ = (v - μ)·r, r = 1/√(σ² + eps),
 * dv = r·(g - mean(g) - x̂·mean(g·x̂)) for g = dy·gamma; dgamma = Σ dy·x̂ and dbeta = Σ dy over every row.
 *
 * @param v [M, H] the normalised input; dy [M, H]
 * @returns [dv [M, H], dgamma [H], dbeta [H]]
 */
export function layerNormBackward(v: tf.Tensor2D, gamma: tf.Tensor1D, dy: tf.Tensor2D, eps: number): [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D] {
  const { mean, variance } = tf.moments(v, 1, true); // [M, 1]
  const r = tf.rsqrt(tf.add(variance, eps)); // [M, 1]
  const xhat = tf.mul(tf.sub(v, mean), r); // [M, H]
  const g = tf.mul(dy, gamma); // [M, H]
  const centred = tf.sub(tf.sub(g, tf.mean(g, 1, true)), tf.mul(xhat, tf.mean(tf.mul(g, xhat), 1, true))); // [M, H]
  const dv = tf.mul(r, centred) as tf.Tensor2D;
  return [dv, tf.sum(tf.mul(dy, xhat), 0) as tf.Tensor1D, tf.sum(dy, 0) as tf.Tensor1D];
}
