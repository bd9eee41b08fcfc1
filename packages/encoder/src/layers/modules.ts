// The small parts every BERT layer is built from, in reading order: parameters (how a weight is created and
// named), the forward context, Dense (`nn.Linear`), LayerNorm, dropout, the activations, and the post-LN
// residual tail (dense → dropout → + input → LayerNorm) that BERT uses twice per layer. Names follow HF's
// PyTorch modules, so a module's `params()` lists the keys of its `state_dict()`.
import { addLayerNorm, dropout as backendDropout, fusedLinear, geluErf, geluTanh, linear, type DropoutDraw, type FusedActivation, type Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig, HiddenAct } from '../config.js';

// ---------------------------------------------------------------------------------------------------------------
// Parameters: google-research/bert `create_initializer` (truncated normal, std `initializer_range`), biases 0,
// LayerNorm gamma 1 / beta 0.

/** One trainable tensor. `transposed`: stored [in, out] here but [out, in] in HF checkpoints (nn.Linear). */
export interface Param {
  variable: tf.Variable;
  transposed: boolean;
}

/** A module's parameters, in a fixed order, keyed by their HF name relative to the module. */
export type NamedParams = Array<[string, Param]>;

/**
 * How weights are initialised: `truncated-normal` draws from the given RNG (the paper's init), `zeros` only
 * allocates (for models whose weights are about to be loaded from a checkpoint).
 */
export type Init = { kind: 'truncated-normal'; rng: Rng; std: number } | { kind: 'zeros' };

/** A weight matrix or embedding table: truncated normal (re-drawn beyond 2 std, as TF's) or zeros. */
export function weightVariable(shape: number[], init: Init): tf.Variable {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  if (init.kind === 'truncated-normal') fillTruncatedNormal(init.rng, data, init.std);
  return toVariable(tf.tensor(data, shape, 'float32'));
}

/** A constant-filled vector (biases 0, LayerNorm gamma 1). */
export function constantVariable(shape: number[], value: number): tf.Variable {
  // from host values (an upload), not tf.fill: on WebGPU a fill is a compute dispatch per parameter
  const size = shape.reduce((a, b) => a * b, 1);
  return toVariable(tf.tensor(new Float32Array(size).fill(value), shape, 'float32'));
}

/** A variable holding `initial`'s values; `initial` itself is disposed (the variable keeps its own reference). */
function toVariable(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial, true);
  initial.dispose();
  return v;
}

/**
 * Fills `out` with N(0, std²) values re-drawn outside ±2 std (TF's `truncated_normal`), the same distribution as
 * `Rng.truncatedNormal` but using both Box–Muller outputs and 32-bit uniforms (ample for float32): BERT-Base's
 * 110 M draws take a few seconds instead of tens.
 */
export function fillTruncatedNormal(rng: Rng, out: Float32Array, std: number): void {
  const n = out.length;
  let i = 0;
  while (i < n) {
    const u1 = (rng.nextUint32() + 0.5) * 2 ** -32; // (0, 1): log is finite
    const u2 = rng.nextUint32() * 2 ** -32;
    const r = Math.sqrt(-2 * Math.log(u1));
    const z0 = r * Math.cos(2 * Math.PI * u2);
    const z1 = r * Math.sin(2 * Math.PI * u2);
    if (z0 >= -2 && z0 <= 2) out[i++] = z0 * std;
    if (i < n && z1 >= -2 && z1 <= 2) out[i++] = z1 * std;
  }
}

/** Prefixes a child's parameter names (`dense` + `weight` → `dense.weight`). */
export function prefixed(prefix: string, params: NamedParams): NamedParams {
  return params.map(([name, p]) => [`${prefix}.${name}`, p]);
}

export function disposeParams(params: NamedParams): void {
  for (const [, p] of params) p.variable.dispose();
}

// ---------------------------------------------------------------------------------------------------------------
// Forward context: what every layer of one forward pass sees.

export interface ForwardContext {
  /** Dropout is applied only when training (google-research/bert: `if not is_training: dropout_prob = 0`). */
  training: boolean;
  /** Source of every dropout mask; required when training with a non-zero dropout probability. */
  dropoutRng: Rng | null;
  /** When set, layers store intermediates under the fixture names (`layer.0.attention_context`, ...). */
  capture: Record<string, tf.Tensor> | null;
  /**
   * Run the fused WebGPU kernels of @bertkit/backend (fusedLinear, addLayerNorm, fusedSelfAttention,
   * embeddingsLayerNorm): set by BertModel.forward on WebGPU when neither intermediates nor attention
   * probabilities are asked for (the fused attention never materialises them). Dropout draws the same masks
   * as on the unfused path (the attention kernels test the probabilities' mask in place). Default false.
   */
  fused?: boolean;
  /**
   * Training: run each layer as one checkpointed op (layers/checkpoint-layer.ts) that keeps only its input and
   * recomputes the layer in the backward pass — one layer's intermediates alive at a time. Default false.
   */
  checkpoint?: boolean;
}

export function record(ctx: ForwardContext, name: string, t: tf.Tensor): void {
  if (ctx.capture !== null) ctx.capture[name] = t;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * A fully connected layer (HF `nn.Linear`). The kernel is kept [in, out] so the forward pass is one plain product
 * through @bertkit/backend's `linear`; HF's `weight` is [out, in] and is transposed once at load/save.
 */
export class Dense {
  readonly kernel: tf.Variable; // [in, out]
  readonly bias: tf.Variable; // [out]

  constructor(
    readonly inDim: number,
    readonly outDim: number,
    init: Init,
  ) {
    this.kernel = weightVariable([inDim, outDim], init);
    this.bias = constantVariable([outDim], 0);
  }

  /** [..., in] -> [..., out] */
  apply<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
    return linear(x, this.kernel as tf.Tensor2D, this.bias as tf.Tensor1D);
  }

  /** act([..., in] · kernel + bias) -> [..., out] as one fused op (one dispatch on WebGPU). */
  applyFused<R extends tf.Rank>(x: tf.Tensor<R>, act?: FusedActivation): tf.Tensor<R> {
    return fusedLinear(x, this.kernel as tf.Tensor2D, this.bias as tf.Tensor1D, { activation: act });
  }

  params(): NamedParams {
    return [
      ['weight', { variable: this.kernel, transposed: true }],
      ['bias', { variable: this.bias, transposed: false }],
    ];
  }
}

/**
 * Layer normalisation over the last axis (HF `nn.LayerNorm(hidden, eps=layer_norm_eps)`): biased variance, eps
 * inside the square root, then gamma (`weight`) and beta (`bias`).
 */
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
    const { mean, variance } = tf.moments(x, x.rank - 1, true); // [..., 1] each
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

export class DropoutError extends Error {
  override readonly name = 'DropoutError';
}

/**
 * The dropout draw of one layer's dropout in this forward pass: the rate and a stream key drawn from the context's
 * seeded Rng (one uint32 per call, in the layers' call order), or null when nothing is dropped (eval, or p = 0).
 */
export function dropoutDraw(p: number, ctx: ForwardContext): DropoutDraw | null {
  if (!ctx.training || p === 0) return null;
  if (ctx.dropoutRng === null) {
    throw new DropoutError(`dropout: expected a dropoutRng when training with p=${p}, got none`);
  }
  return { rate: p, key: ctx.dropoutRng.nextUint32() };
}

/**
 * Inverted dropout (HF `nn.Dropout`, google-research/bert `dropout`): zero each element with probability p and
 * scale the kept ones by 1 / (1 - p). The mask is @bertkit/backend's counter-based hash of a key drawn from the
 * seeded Rng and the element's index, so a given seed drops the same elements on every backend, in every run,
 * and in the fused WebGPU kernels that test the mask in place.
 */
export function dropout<T extends tf.Tensor>(x: T, p: number, ctx: ForwardContext): T {
  const draw = dropoutDraw(p, ctx);
  return draw === null ? x : backendDropout(x, draw);
}

// ---------------------------------------------------------------------------------------------------------------
// Activations of the intermediate layer (HF `ACT2FN`). The formulas live in @bertkit/backend (its fused kernels
// compute the same ones): `gelu` is the exact erf form PyTorch's `F.gelu` computes, `gelu_new` and
// `gelu_pytorch_tanh` the tanh approximation of the original TF BERT code.

export { geluErf, geluTanh };

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

/** The fused kernels' name for a configured activation. */
export function fusedActivation(name: HiddenAct): FusedActivation {
  return name === 'gelu' || name === 'relu' ? name : 'gelu_tanh';
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The post-LN sub-layer tail BERT uses twice per layer (paper §3, Vaswani et al. 2017 §3.1): dense in -> H,
 * dropout, add the sub-layer's input, LayerNorm. HF names the two uses `BertSelfOutput` (attention.ts, in = H)
 * and `BertOutput` (feed-forward.ts, in = I); both have the checkpoint children `dense` and `LayerNorm`.
 */
export class ResidualProjection {
  readonly dense: Dense;
  readonly layerNorm: LayerNorm;

  constructor(
    private readonly config: BertConfig,
    inSize: number,
    init: Init,
  ) {
    this.dense = new Dense(inSize, config.hiddenSize, init);
    this.layerNorm = new LayerNorm(config.hiddenSize, config.layerNormEps);
  }

  /**
   * @param x [B, T, in] the sub-layer's result (attention context or intermediate activations)
   * @param input [B, T, H] the sub-layer's input (residual)
   * @returns [B, T, H]
   */
  forward(x: tf.Tensor3D, input: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
    if (ctx.fused) {
      // dense, then dropout + input and LayerNorm: one dispatch each on WebGPU (the mask tested in place)
      const ln = this.layerNorm;
      const drop = dropoutDraw(this.config.hiddenDropoutProb, ctx);
      return addLayerNorm(this.dense.applyFused(x), input, ln.gamma as tf.Tensor1D, ln.beta as tf.Tensor1D, ln.eps, drop); // [B, T, H]
    }
    const projected = dropout(this.dense.apply(x), this.config.hiddenDropoutProb, ctx); // [B, T, H]
    return this.layerNorm.apply(tf.add(projected, input) as tf.Tensor3D); // [B, T, H]
  }

  params(): NamedParams {
    return [...prefixed('dense', this.dense.params()), ...prefixed('LayerNorm', this.layerNorm.params())];
  }
}
