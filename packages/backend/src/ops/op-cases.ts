// The op cases every backend test runs (imported only by *.test.ts): values and gradients of matMul (2-D and
// attention-shaped batched), linear and gatherRows, so that each backend is compared with cpu on the same work;
// and the int32 → float32 paths that broke on WebGPU (masked mean pooling, int32 transposes and sums).
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng.js';
import { gatherRows } from './gather-rows.js';
import { linear } from './linear.js';
import { matMul } from './mat-mul.js';
import type { HostTensor } from './test-tensors.js';

export interface OpCase {
  name: string;
  inputs: HostTensor[];
  dtypes: tf.DataType[];
  f: (...xs: tf.Tensor[]) => tf.Tensor[];
}

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
const randn = (rng: Rng, shape: number[]): HostTensor => ({
  shape,
  data: Float32Array.from({ length: size(shape) }, () => rng.normal()),
});
const randIds = (rng: Rng, shape: number[], vocab: number): HostTensor => ({
  shape,
  data: Int32Array.from({ length: size(shape) }, () => rng.int(vocab)),
});

const matMulCase = (x: tf.Tensor, y: tf.Tensor, w: tf.Tensor) => [
  matMul(x, y),
  ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(matMul(p, q), w)))([x, y]),
];

/** An int32 attention mask [B, T] whose row b has lengths[b] leading ones. */
const paddingMask = (lengths: number[], t: number): HostTensor => ({
  shape: [lengths.length, t],
  data: Int32Array.from({ length: lengths.length * t }, (_, i) => (i % t < lengths[Math.floor(i / t)] ? 1 : 0)),
});

/**
 * Mean over the unmasked tokens, as heads/src/embeddings.ts pools sentence vectors. With H = 64 the product runs
 * on the GPU, which uploads the mask; the sum over axis 1 then transposes the cast mask (WebGPU's Cast bug).
 */
const meanPool = (h: tf.Tensor, mask: tf.Tensor): tf.Tensor[] => {
  const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [B, T, 1]
  const pooled = tf.div(tf.sum(tf.mul(h, m), 1), tf.maximum(tf.sum(m, 1), 1e-9)); // [B, H]
  return [pooled, tf.sum(m, 1)];
};

/** Builds the cases (host arrays, no backend needed). */
export function opCases(): OpCase[] {
  const rng = new Rng(2024);
  const f32 = (n: number): tf.DataType[] => Array<tf.DataType>(n).fill('float32');
  return [
    {
      name: 'matMul batched [2,4,9,8]x[2,4,8,9] (attention scores), value + grads',
      inputs: [randn(rng, [2, 4, 9, 8]), randn(rng, [2, 4, 8, 9]), randn(rng, [2, 4, 9, 9])],
      dtypes: f32(3),
      f: matMulCase,
    },
    {
      name: 'matMul 2-D [13,40]x[40,37], value + grads',
      inputs: [randn(rng, [13, 40]), randn(rng, [40, 37]), randn(rng, [13, 37])],
      dtypes: f32(3),
      f: matMulCase,
    },
    {
      name: 'linear [2,5,32]x[32,37]+[37], value + grads',
      inputs: [randn(rng, [2, 5, 32]), randn(rng, [32, 37]), randn(rng, [37]), randn(rng, [2, 5, 37])],
      dtypes: f32(4),
      f: (x, k, b, w) => {
        const g = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => linear(p, q as tf.Tensor2D, r as tf.Tensor1D);
        const loss = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(g(p, q, r), w));
        return [g(x, k, b), ...tf.grads(loss)([x, k, b])];
      },
    },
    {
      name: 'gatherRows [99,40] table, [4,9] ids with repeats, value + table grad',
      inputs: [randn(rng, [99, 40]), randIds(rng, [4, 9], 20), randn(rng, [4, 9, 40])],
      dtypes: ['float32', 'int32', 'float32'],
      f: (t, ids, w) => [
        gatherRows(t as tf.Tensor2D, ids),
        tf.grad((p: tf.Tensor) => tf.sum(tf.mul(gatherRows(p as tf.Tensor2D, ids), w)))(t),
      ],
    },
    {
      name: 'masked mean pooling [2,9,64] with an int32 mask [2,9] (embeddings.ts), pooled + token counts',
      inputs: [randn(rng, [2, 9, 64]), paddingMask([5, 9], 9)],
      dtypes: ['float32', 'int32'],
      f: (h, mask) => tf.tidy(() => meanPool(h, mask)),
    },
    {
      name: 'int32 [3,5,70]: transpose, int32 sum over axis 1, float32 and bool casts summed over axis 1',
      inputs: [randIds(rng, [3, 5, 70], 7)],
      dtypes: ['int32'],
      f: (ids) =>
        tf.tidy(() => [
          tf.transpose(ids, [0, 2, 1]), // [3, 70, 5] int32
          tf.sum(ids, 1), // [3, 70] int32
          tf.sum(tf.cast(ids, 'float32'), 1), // [3, 70]
          tf.sum(tf.cast(tf.greater(ids, 3), 'float32'), 1), // [3, 70]
        ]),
    },
  ];
}
