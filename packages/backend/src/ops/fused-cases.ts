// The fused ops' cases (imported only by *.test.ts): odd shapes (M 37, K 40, N 99; T 13; 5 heads of 8), masks
// with padding, each with the plain-tfjs reference it must equal, and a gradient case per op (loss = Σ y·w).
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng.js';
import { addLayerNorm } from './add-layer-norm.js';
import { dropout } from './dropout.js';
import { applyActivation } from './activations.js';
import { embeddingsLayerNorm } from './embeddings-layer-norm.js';
import { attentionReference, fusedAttention, fusedSelfAttention } from './fused-attention.js';
import { fusedLinear } from './fused-linear.js';
import { layerNormReference } from './layer-norm.js';
import type { HostTensor } from './test-tensors.js';

export interface FusedCase {
  name: string;
  inputs: HostTensor[];
  dtypes: tf.DataType[];
  /** The fused op (one output), and the reference as plain tfjs ops. */
  fused: (...xs: tf.Tensor[]) => tf.Tensor;
  reference: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Which inputs are differentiated (indices), the last input being the loss weights w. */
  wrt: number[];
}

const FLOAT32_MIN = -3.4028234663852886e38;
const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** Builds the cases from a seeded Rng (host arrays, no backend needed). */
export function fusedCases(): FusedCase[] {
  const rng = new Rng(99);
  const randn = (shape: number[], std = 1): HostTensor => ({ shape, data: Float32Array.from({ length: size(shape) }, () => rng.normal() * std) });
  const ids = (shape: number[], n: number): HostTensor => ({ shape, data: Int32Array.from({ length: size(shape) }, () => rng.int(n)) });
  /** Additive padding mask [B, 1, 1, T]: row b sees its first lengths[b] keys. */
  const padding = (lengths: number[], t: number): HostTensor => ({
    shape: [lengths.length, 1, 1, t],
    data: Float32Array.from({ length: lengths.length * t }, (_, i) => (i % t < lengths[Math.floor(i / t)] ? 0 : FLOAT32_MIN)),
  });
  /** Additive causal + padding mask [B, 1, T, T]. */
  const causal = (lengths: number[], t: number): HostTensor => ({
    shape: [lengths.length, 1, t, t],
    data: Float32Array.from({ length: lengths.length * t * t }, (_, i) => {
      const [b, q, k] = [Math.floor(i / (t * t)), Math.floor(i / t) % t, i % t];
      return k <= q && k < lengths[b] ? 0 : FLOAT32_MIN;
    }),
  });
  const f32 = (n: number): tf.DataType[] => Array<tf.DataType>(n).fill('float32');
  const cases: FusedCase[] = [];

  for (const activation of [undefined, 'gelu', 'gelu_tanh', 'relu', 'tanh'] as const) {
    cases.push({
      name: `fusedLinear [37,40]x[40,99]+b, ${activation ?? 'no'} activation, + residual`,
      inputs: [randn([37, 40]), randn([40, 99], 0.3), randn([99]), randn([37, 99]), randn([37, 99])],
      dtypes: f32(5),
      fused: (x, w, b, r) => fusedLinear(x, w as tf.Tensor2D, b as tf.Tensor1D, { activation, residual: r }),
      reference: (x, w, b, r) => {
        const z = tf.add(tf.matMul(x, w), b);
        return tf.add(activation === undefined ? z : applyActivation(activation, z), r);
      },
      wrt: [0, 1, 2, 3],
    });
  }
  cases.push({
    name: 'fusedLinear [2,7,40] x three blocks [40,33|17|49] + biases (a Q/K/V projection), gelu',
    inputs: [randn([2, 7, 40]), randn([40, 33], 0.3), randn([40, 17], 0.3), randn([40, 49], 0.3), randn([33]), randn([17]), randn([49]), randn([2, 7, 99])],
    dtypes: f32(8),
    fused: (x, w0, w1, w2, b0, b1, b2) =>
      fusedLinear(x, [w0, w1, w2] as tf.Tensor2D[], [b0, b1, b2] as tf.Tensor1D[], { activation: 'gelu' }),
    reference: (x, w0, w1, w2, b0, b1, b2) =>
      tf.reshape(applyActivation('gelu', tf.add(tf.matMul(tf.reshape(x, [14, 40]), tf.concat([w0, w1, w2], 1)), tf.concat([b0, b1, b2]))), [2, 7, 99]),
    wrt: [0, 1, 2, 3, 4, 5, 6],
  });
  cases.push({
    name: 'fusedLinear [1,3]x[3,1], no bias (tiny edge)',
    inputs: [randn([1, 3]), randn([3, 1]), randn([1, 1])],
    dtypes: f32(3),
    fused: (x, w) => fusedLinear(x, w as tf.Tensor2D, null),
    reference: (x, w) => tf.matMul(x, w),
    wrt: [0, 1],
  });

  for (const withResidual of [true, false]) {
    cases.push({
      name: `addLayerNorm [3,13,99]${withResidual ? ' + residual' : ' (no residual)'}, eps 1e-12`,
      inputs: [randn([3, 13, 99], 2), randn([3, 13, 99]), randn([99]), randn([99]), randn([3, 13, 99])],
      dtypes: f32(5),
      fused: (x, r, g, b) => addLayerNorm(x, withResidual ? r : null, g as tf.Tensor1D, b as tf.Tensor1D, 1e-12),
      reference: (x, r, g, b) => layerNormReference(withResidual ? tf.add(x, r) : x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-12),
      wrt: withResidual ? [0, 1, 2, 3] : [0, 2, 3],
    });
  }
  cases.push({
    name: 'addLayerNorm [5,300] + residual (rows longer than the workgroup), eps 1e-5',
    inputs: [randn([5, 300]), randn([5, 300]), randn([300]), randn([300]), randn([5, 300])],
    dtypes: f32(5),
    fused: (x, r, g, b) => addLayerNorm(x, r, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5),
    reference: (x, r, g, b) => layerNormReference(tf.add(x, r), g as tf.Tensor1D, b as tf.Tensor1D, 1e-5),
    wrt: [0, 1, 2, 3],
  });
  cases.push({
    name: 'fusedLinear [37,40] · [99,40]ᵀ + b (a transposed kernel: the tied decoder)',
    inputs: [randn([37, 40]), randn([99, 40]), randn([99]), randn([37, 99])],
    dtypes: f32(4),
    fused: (x, w, b) => fusedLinear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, { transposedKernel: true }),
    reference: (x, w, b) => tf.add(tf.matMul(x, w, false, true), b),
    wrt: [0, 1, 2],
  });
  // LayerNorm(dropout(x) + residual): the kernels test x's mask in place; the reference drops the same flat indices
  const drop = { rate: 0.25, key: 0x5eed };
  cases.push({
    name: 'addLayerNorm [3,13,99], dropout 0.25 on x, + residual',
    inputs: [randn([3, 13, 99]), randn([3, 13, 99]), randn([99]), randn([99]), randn([3, 13, 99])],
    dtypes: f32(5),
    fused: (x, r, g, b) => addLayerNorm(x, r, g as tf.Tensor1D, b as tf.Tensor1D, 1e-12, drop),
    reference: (x, r, g, b) => layerNormReference(tf.add(dropout(x, drop), r), g as tf.Tensor1D, b as tf.Tensor1D, 1e-12),
    wrt: [0, 1, 2, 3],
  });
  cases.push({
    name: 'addLayerNorm [5,300], dropout 0.25, no residual',
    inputs: [randn([5, 300]), randn([300]), randn([300]), randn([5, 300])],
    dtypes: f32(4),
    fused: (x, g, b) => addLayerNorm(x, null, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, drop),
    reference: (x, g, b) => layerNormReference(dropout(x, drop), g as tf.Tensor1D, b as tf.Tensor1D, 1e-5),
    wrt: [0, 1, 2],
  });

  const attn = (mask: boolean) => (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, m: tf.Tensor) =>
    [q, k, v, mask ? m : null] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D | null];
  for (const [label, b, heads, tq, tk, d, mask] of [
    ['padding mask [2,1,1,13]', 2, 5, 13, 13, 8, padding([13, 9], 13)],
    ['causal + padding mask [2,1,13,13]', 2, 5, 13, 13, 8, causal([13, 6], 13)],
    ['no mask, Tq 7 ≠ Tk 13', 2, 5, 7, 13, 8, null],
    ['padding mask, T 70, D 64 (several key and query tiles)', 2, 3, 70, 70, 64, padding([70, 33], 70)],
    ['a fully masked row (uniform weights, as softmax)', 2, 2, 5, 5, 8, padding([5, 0], 5)],
  ] as const) {
    const scale = 1 / Math.sqrt(d);
    const m = mask ?? randn([1, 1, 1, tk]);
    cases.push({
      name: `fusedAttention B ${b}, heads ${heads}, Tq ${tq}, D ${d}, ${label}`,
      inputs: [randn([b, heads, tq, d]), randn([b, heads, tk, d]), randn([b, heads, tk, d]), m, randn([b, heads, tq, d])],
      dtypes: f32(5),
      fused: (...xs) => fusedAttention(...attn(mask !== null)(xs[0], xs[1], xs[2], xs[3]), scale),
      reference: (...xs) => attentionReference(...attn(mask !== null)(xs[0], xs[1], xs[2], xs[3]), scale).context,
      wrt: [0, 1, 2],
    });
  }
  const [b, t, heads, d] = [2, 13, 5, 8];
  const h = heads * d;
  cases.push({
    name: 'fusedSelfAttention qkv [2,13,3·5·8], padding mask',
    inputs: [randn([b, t, 3 * h]), padding([13, 4], t), randn([b, t, h])],
    dtypes: f32(3),
    fused: (qkv, m) => fusedSelfAttention(qkv as tf.Tensor3D, m as tf.Tensor4D, heads, 1 / Math.sqrt(d)),
    reference: (qkv, m) => {
      const [q, k, v] = tf.split(qkv, 3, 2).map((x) => tf.transpose(tf.reshape(x, [b, t, heads, d]), [0, 2, 1, 3]) as tf.Tensor4D);
      const ctx = attentionReference(q, k, v, m as tf.Tensor4D, 1 / Math.sqrt(d)).context;
      return tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b, t, h]);
    },
    wrt: [0],
  });

  // the packed kernel pair (forward + one-dispatch backward) with dropout of the probabilities: the reference drops
  // the same flat indices of its [B, A, T, T] probabilities (ops/dropout-hash.ts)
  for (const [label, bb, tt, hh, dd, mask, rate] of [
    ['padding mask, dropout 0.3', 2, 13, 5, 8, padding([13, 4], 13), 0.3],
    ['causal + padding mask, dropout 0.1', 2, 13, 5, 8, causal([13, 6], 13), 0.1],
    ['T 70, D 64, a fully masked row, dropout 0.2', 2, 70, 2, 64, padding([70, 0], 70), 0.2],
    ['T 9, D 6 (no vec4), no dropout', 3, 9, 2, 6, padding([9, 5, 1], 9), 0],
  ] as const) {
    const hd = hh * dd;
    const drop = rate === 0 ? null : { rate, key: 0xc0ffee + bb * tt };
    cases.push({
      name: `fusedSelfAttention qkv [${bb},${tt},3·${hh}·${dd}], ${label}`,
      inputs: [randn([bb, tt, 3 * hd]), mask, randn([bb, tt, hd])],
      dtypes: f32(3),
      fused: (qkv, m) => fusedSelfAttention(qkv as tf.Tensor3D, m as tf.Tensor4D, hh, 1 / Math.sqrt(dd), drop),
      reference: (qkv, m) => {
        const [q, k, v] = tf.split(qkv, 3, 2).map((x) => tf.transpose(tf.reshape(x, [bb, tt, hh, dd]), [0, 2, 1, 3]) as tf.Tensor4D);
        const ctx = attentionReference(q, k, v, m as tf.Tensor4D, 1 / Math.sqrt(dd), drop).context;
        return tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [bb, tt, hd]);
      },
      wrt: [0],
    });
  }

  cases.push({
    name: 'embeddingsLayerNorm ids [3,13] (V 50, P 20, TV 2), H 99',
    inputs: [ids([3, 13], 50), ids([3, 13], 2), randn([50, 99]), randn([20, 99]), randn([2, 99]), randn([99]), randn([99]), randn([3, 13, 99])],
    dtypes: ['int32', 'int32', ...f32(6)],
    fused: (wi, ti, word, position, tokenType, g, bt) =>
      embeddingsLayerNorm(wi as tf.Tensor2D, ti as tf.Tensor2D, null, { word, position, tokenType } as never, g as tf.Tensor1D, bt as tf.Tensor1D, 1e-12),
    reference: (wi, ti, word, position, tokenType, g, bt) => {
      const sum = tf.add(tf.add(tf.gather(word, wi), tf.gather(tokenType, ti)), tf.slice(position, [0, 0], [13, 99]));
      return layerNormReference(sum, g as tf.Tensor1D, bt as tf.Tensor1D, 1e-12);
    },
    wrt: [2, 3, 4, 5, 6],
  });
  const embDrop = { rate: 0.2, key: 0xe3b }; // the embeddings' dropout, tested in the kernel and read into dy backward
  cases.push({
    name: 'embeddingsLayerNorm ids [3,13], H 99, dropout 0.2',
    inputs: [ids([3, 13], 50), ids([3, 13], 2), randn([50, 99]), randn([20, 99]), randn([2, 99]), randn([99]), randn([99]), randn([3, 13, 99])],
    dtypes: ['int32', 'int32', ...f32(6)],
    fused: (wi, ti, word, position, tokenType, g, bt) =>
      embeddingsLayerNorm(wi as tf.Tensor2D, ti as tf.Tensor2D, null, { word, position, tokenType } as never, g as tf.Tensor1D, bt as tf.Tensor1D, 1e-12, embDrop),
    reference: (wi, ti, word, position, tokenType, g, bt) => {
      const sum = tf.add(tf.add(tf.gather(word, wi), tf.gather(tokenType, ti)), tf.slice(position, [0, 0], [13, 99]));
      return dropout(layerNormReference(sum, g as tf.Tensor1D, bt as tf.Tensor1D, 1e-12), embDrop);
    },
    wrt: [2, 3, 4, 5, 6],
  });
  return cases;
}
