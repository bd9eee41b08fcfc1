// Multi-head scaled dot-product self-attention (Vaswani et al. 2017 §3.2; HF `BertSelfAttention`, eager path).
// The additive mask is HF's: `(1 - mask) * float32.min`, added to the scores after the 1/√d scaling, so masked
// keys get probability exactly 0. Every product goes through @bertkit/backend's `matMul` with explicit
// transposes (no transposeA/transposeB).
import { matMul } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { Dense } from './dense.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';

export interface SelfAttentionOutput {
  context: tf.Tensor3D; // [B, T, H], heads merged
  probs: tf.Tensor4D; // [B, A, T, T], after dropout (HF returns these as `attentions`)
}

export class SelfAttention {
  readonly query: Dense;
  readonly key: Dense;
  readonly value: Dense;
  private readonly heads: number;
  private readonly headSize: number;

  constructor(
    private readonly config: BertConfig,
    init: Init,
  ) {
    const h = config.hiddenSize;
    this.heads = config.numAttentionHeads;
    this.headSize = h / this.heads;
    this.query = new Dense(h, h, init);
    this.key = new Dense(h, h, init);
    this.value = new Dense(h, h, init);
  }

  /** [B, T, H] -> [B, A, T, D] (HF `transpose_for_scores`). */
  private splitHeads(x: tf.Tensor3D): tf.Tensor4D {
    const [b, t] = x.shape;
    const split = tf.reshape(x, [b, t, this.heads, this.headSize]); // [B, T, A, D]
    return tf.transpose(split, [0, 2, 1, 3]) as tf.Tensor4D; // [B, A, T, D]
  }

  /**
   * @param hidden [B, T, H]
   * @param additiveMask [B, 1, 1, T]: 0 for visible keys, float32.min for padding
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): SelfAttentionOutput {
    const [b, t, h] = hidden.shape;
    const q = this.splitHeads(this.query.apply(hidden)); // [B, A, T, D]
    const k = this.splitHeads(this.key.apply(hidden)); // [B, A, T, D]
    const v = this.splitHeads(this.value.apply(hidden)); // [B, A, T, D]
    const kT = tf.transpose(k, [0, 1, 3, 2]); // [B, A, D, T]
    const scores = tf.div(matMul(q, kT), Math.sqrt(this.headSize)); // [B, A, T, T]
    const masked = tf.add(scores, additiveMask); // [B, A, T, T]
    const probs = dropout(tf.softmax(masked), this.config.attentionProbsDropoutProb, ctx); // [B, A, T, T]
    const ctxHeads = matMul(probs, v); // [B, A, T, D]
    const merged = tf.transpose(ctxHeads, [0, 2, 1, 3]); // [B, T, A, D]
    return { context: tf.reshape(merged, [b, t, h]), probs: probs as tf.Tensor4D }; // [B, T, H]
  }

  params(): NamedParams {
    return [
      ...prefixed('query', this.query.params()),
      ...prefixed('key', this.key.params()),
      ...prefixed('value', this.value.params()),
    ];
  }
}
