// Layer normalisation over the last axis (HF `nn.LayerNorm(hidden, eps=layer_norm_eps)`): biased variance,
// eps inside the square root, then gamma (`weight`) and beta (`bias`).
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable, type NamedParams } from './parameters.js';

export class LayerNorm {
  readonly gamma: tf.Variable; // [H]
  readonly beta: tf.Variable; // [H]

  constructor(
    size: number,
    readonly eps: number,
  ) {
    this.gamma = constantVariable([size], 1);
    this.beta = constantVariable([size], 0);
  }

  /** [..., H] -> [..., H] */
  apply<T extends tf.Tensor>(x: T): T {
    const axis = x.rank - 1;
    const { mean, variance } = tf.moments(x, axis, true); // [..., 1] each
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps))); // [..., H]
    return tf.add(tf.mul(normed, this.gamma), this.beta) as T; // [..., H]
  }

  params(): NamedParams {
    return [
      ['weight', { variable: this.gamma, transposed: false }],
      ['bias', { variable: this.beta, transposed: false }],
    ];
  }
}
