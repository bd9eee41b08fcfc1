// Activations of the intermediate layer (HF `ACT2FN`). tfjs has no erf-based GELU op, so `gelu` is written out:
// 0.5·x·(1 + erf(x/√2)), the exact form PyTorch's `F.gelu` computes (Hendrycks & Gimpel 2016). `gelu_new` and
// `gelu_pytorch_tanh` are the tanh approximation used by the original TF BERT code.
import * as tf from '@tensorflow/tfjs-core';
import type { HiddenAct } from '../config.js';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

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

export function activation(name: HiddenAct): <T extends tf.Tensor>(x: T) => T {
  switch (name) {
    case 'gelu':
      return geluErf;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return geluTanh;
    case 'relu':
      return <T extends tf.Tensor>(x: T) => tf.relu(x) as T;
  }
}
