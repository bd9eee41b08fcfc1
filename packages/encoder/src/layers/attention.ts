// The attention block of a layer (HF `BertAttention`, checkpoint `attention.*`): multi-head self-attention
// (`attention.self`), then its output projection with residual and LayerNorm (`attention.output`).
import { fusedLinear, fusedSelfAttention, matMul } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { Dense, ResidualProjection, dropout, dropoutDraw, prefixed, type ForwardContext, type Init, type NamedParams } from './modules.js';

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017 §3.2; HF `BertSelfAttention`, eager path).
 * The additive mask is HF's: `(1 - mask) * float32.min`, added to the scores after the 1/√d scaling, so masked
 * keys get probability exactly 0. Every product goes through @bertkit/backend's `matMul` with explicit
 * transposes (no transposeA/transposeB).
 */
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
   * @param additiveMask [B, 1, 1 | T, T]: 0 for visible keys, float32.min for padding (and future keys if causal)
   * @returns context [B, T, H] (heads merged) and probs [B, A, T, T] after dropout (HF's `attentions`; null on
   *   the fused path)
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): { context: tf.Tensor3D; probs: tf.Tensor4D | null } {
    if (ctx.fused) return { context: this.forwardFused(hidden, additiveMask, ctx), probs: null };
    const [b, t, h] = hidden.shape;
    const q = this.splitHeads(this.query.apply(hidden)); // [B, A, T, D]
    const k = this.splitHeads(this.key.apply(hidden)); // [B, A, T, D]
    const v = this.splitHeads(this.value.apply(hidden)); // [B, A, T, D]
    const kT = tf.transpose(k, [0, 1, 3, 2]); // [B, A, D, T]
    const scores = tf.div(matMul(q, kT), Math.sqrt(this.headSize)); // [B, A, T, T]
    const masked = tf.add(scores, additiveMask); // [B, A, T, T]
    const probs = dropout(tf.softmax(masked), this.config.attentionProbsDropoutProb, ctx) as tf.Tensor4D; // [B, A, T, T]
    const ctxHeads = matMul(probs, v); // [B, A, T, D]
    const merged = tf.transpose(ctxHeads, [0, 2, 1, 3]); // [B, T, A, D]
    return { context: tf.reshape(merged, [b, t, h]), probs }; // [B, T, H]
  }

  /**
   * The fused path (WebGPU): one projection into q | k | v side by side (the three kernels read in place as
   * column blocks), then flash attention over that packed layout, which also merges the heads and, in training,
   * drops out the probabilities from the same dropout draw as the unfused path.
   */
  private forwardFused(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): tf.Tensor3D {
    const drop = dropoutDraw(this.config.attentionProbsDropoutProb, ctx);
    const dense = [this.query, this.key, this.value];
    const kernels = dense.map((d) => d.kernel as tf.Tensor2D);
    const biases = dense.map((d) => d.bias as tf.Tensor1D);
    const qkv = fusedLinear(hidden, kernels, biases); // [B, T, 3H]
    return fusedSelfAttention(qkv, additiveMask, this.heads, 1 / Math.sqrt(this.headSize), drop); // [B, T, H]
  }

  params(): NamedParams {
    return [
      ...prefixed('query', this.query.params()),
      ...prefixed('key', this.key.params()),
      ...prefixed('value', this.value.params()),
    ];
  }
}

/** HF `BertSelfOutput`: dense H -> H, dropout, + the block's input, LayerNorm (post-LN, paper §3). */
export class SelfOutput extends ResidualProjection {
  constructor(config: BertConfig, init: Init) {
    super(config, config.hiddenSize, init);
  }
}

export interface AttentionOutput {
  context: tf.Tensor3D; // [B, T, H], self-attention's merged heads (fixture `attention_context`)
  probs: tf.Tensor4D | null; // [B, A, T, T] (fixture `attention_probs`); null on the fused path
  hidden: tf.Tensor3D; // [B, T, H], after the residual and LayerNorm (fixture `attention_output`)
}

/** HF `BertAttention`: `self` then `output`. */
export class Attention {
  readonly self: SelfAttention;
  readonly output: SelfOutput;

  constructor(config: BertConfig, init: Init) {
    this.self = new SelfAttention(config, init);
    this.output = new SelfOutput(config, init);
  }

  /**
   * @param hidden [B, T, H]
   * @param additiveMask [B, 1, 1 | T, T]
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): AttentionOutput {
    const { context, probs } = this.self.forward(hidden, additiveMask, ctx); // [B, T, H], [B, A, T, T]
    return { context, probs, hidden: this.output.forward(context, hidden, ctx) }; // [B, T, H]
  }

  params(): NamedParams {
    return [...prefixed('self', this.self.params()), ...prefixed('output', this.output.params())];
  }
}
