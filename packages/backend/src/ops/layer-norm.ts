import * as tf from '@tensorflow/tfjs-core';

// LayerNorm over the last axis (Ba et al. 2016; HF `nn.LayerNorm`) as tfjs ops: the fused ops' fallback (tfjs
// differentiates it there). Biased variance, eps inside the square root, then gamma and beta.

/** [..., H] -> [..., H] */
export function layerNormReference<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  const { mean, variance } = tf.moments(x, x.rank - 1, true); // [..., 1] each
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))); // [..., H]
  return tf.add(tf.mul(normed, gamma), beta) as T; // [..., H]
}
