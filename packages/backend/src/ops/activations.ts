import * as tf from '@tensorflow/tfjs-core';
import type { FusedActivation } from '../kernels/webgpu/fused-linear.js';

// The activations of BERT's layers (HF `ACT2FN`) as plain tfjs ops, with their derivatives for the fused ops'
// backward passes. tfjs has no erf-based GELU op, so `gelu` is written out: 0.5·x·(1 + erf(x/√2)), the exact
// form PyTorch's `F.gelu` computes (Hendrycks & Gimpel 2016). `gelu_tanh` is the tanh approximation of the
// original TF BERT code (HF `gelu_new` / `gelu_pytorch_tanh`).

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Exact GELU: x·Φ(x). */
export function geluErf<T extends tf.Tensor>(x: T): T {
  const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, SQRT_HALF)))); // Φ(x)
  return tf.mul(x, cdf) as T;
}

/** tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (google-research/bert `gelu`). */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner))) as T;
}

/** `act(x)` with tfjs ops. */
export function applyActivation<T extends tf.Tensor>(name: FusedActivation, x: T): T {
  switch (name) {
    case 'gelu':
      return geluErf(x);
    case 'gelu_tanh':
      return geluTanh(x);
    case 'relu':
      return tf.relu(x) as T;
    case 'tanh':
      return tf.tanh(x) as T;
  }
}

/** `act'(z)`, elementwise, with tfjs ops (for a backward pass given the pre-activation z). */
export function activationDerivative(name: FusedActivation, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'gelu': {
      // Φ(z) + z·φ(z)
      const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, SQRT_HALF))));
      const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(z))));
      return tf.add(cdf, tf.mul(z, pdf));
    }
    case 'gelu_tanh': {
      // 0.5·(1 + t) + 0.5·z·(1 - t²)·√(2/π)·(1 + 3·0.044715·z²), t = tanh(√(2/π)·(z + 0.044715·z³))
      const t = tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(z, tf.mul(0.044715, tf.pow(z, 3)))));
      const dInner = tf.mul(SQRT_2_OVER_PI, tf.add(1, tf.mul(3 * 0.044715, tf.square(z))));
      return tf.add(tf.mul(0.5, tf.add(1, t)), tf.mul(tf.mul(tf.mul(0.5, z), tf.sub(1, tf.square(t))), dInner));
    }
    case 'relu':
      return tf.cast(tf.greater(z, 0), 'float32');
    case 'tanh':
      return tf.sub(1, tf.square(tf.tanh(z)));
  }
}
