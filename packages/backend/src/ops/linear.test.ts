import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { OpShapeError } from '../errors.js';
import { Rng } from '../rng.js';
import { linear } from './linear.js';
import { maxAbsDiff, randn } from './test-tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('linear on cpu', () => {
  test('[2,5,32] x [32,37] + [37]: values and gradients equal plain tf ops', async () => {
    const rng = new Rng(11);
    const x = randn(rng, [2, 5, 32]);
    const k = randn(rng, [32, 37]) as tf.Tensor2D;
    const b = randn(rng, [37]) as tf.Tensor1D;
    const w = randn(rng, [2, 5, 37]);
    const before = tf.memory().numTensors;
    const ref = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
      tf.add(tf.reshape(tf.matMul(tf.reshape(xx, [10, 32]), kk), [2, 5, 37]), bb);
    const ours = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) => linear(xx, kk as tf.Tensor2D, bb as tf.Tensor1D);
    const loss = (f: typeof ref) => (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, kk, bb), w));
    const yRef = tf.tidy(() => ref(x, k, b));
    const y = ours(x, k, b);
    expect(y.shape).toEqual([2, 5, 37]);
    expect(await maxAbsDiff(y, yRef)).toBe(0);
    const gRef = tf.grads(loss(ref))([x, k, b]);
    const g = tf.grads(loss(ours))([x, k, b]);
    for (let i = 0; i < 3; i++) expect(await maxAbsDiff(g[i], gRef[i])).toBeLessThan(1e-5);
    tf.dispose([yRef, y, ...gRef, ...g]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, k, b, w]);
  });

  test('null bias and a 1-D input', async () => {
    const rng = new Rng(3);
    const x = randn(rng, [40]);
    const k = randn(rng, [40, 3]) as tf.Tensor2D;
    const y = linear(x, k, null);
    const yRef = tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(x, [1, 40]), k), [3]));
    expect(y.shape).toEqual([3]);
    expect(await maxAbsDiff(y, yRef)).toBe(0);
    tf.dispose([x, k, y, yRef]);
  });

  test('rejects a kernel whose in-dimension does not match x', () => {
    const x = tf.zeros([4, 32]);
    const k = tf.zeros([37, 32]) as tf.Tensor2D;
    expect(() => linear(x, k, null)).toThrow(OpShapeError);
    expect(() => linear(x, k, null)).toThrow(/x \[4,32\] must end in in=37/);
    const b = tf.zeros([5]) as tf.Tensor1D;
    const k2 = tf.zeros([32, 7]) as tf.Tensor2D;
    expect(() => linear(x, k2, b)).toThrow(/bias must be \[7\], got \[5\]/);
    tf.dispose([x, k, b, k2]);
  });
});
