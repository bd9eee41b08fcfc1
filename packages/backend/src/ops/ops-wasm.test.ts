// The same ops on tfjs-backend-wasm, compared with cpu: wasm lacks UnsortedSegmentSum (tf.gather's gradient),
// which gatherRows avoids, and its transposed products are slow, which matMul's gradient avoids.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import { Rng } from '../rng.js';
import { gatherRows } from './gather-rows.js';
import { linear } from './linear.js';
import { matMul } from './mat-mul.js';
import { maxAbsDiff, randIds, randn } from './test-tensors.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  expect((await initBackend({ backend: 'wasm' })).backend).toBe('wasm');
});

/** Runs `f` on cpu and on wasm with copies of the same inputs; returns both results' arrays as tensors. */
async function onBoth(inputs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<[tf.Tensor[], tf.Tensor[]]> {
  const results: tf.Tensor[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const copies = await Promise.all(inputs.map(async (x) => tf.tensor(await x.data(), x.shape, x.dtype)));
    const before = tf.memory().numTensors;
    const out = f(...copies);
    expect(tf.memory().numTensors).toBe(before + out.length);
    // bring the results back as plain arrays so that they outlive the backend switch
    results.push(await Promise.all(out.map(async (t) => tf.tensor(await t.data(), t.shape, t.dtype))));
    tf.dispose([...out, ...copies]);
  }
  await tf.setBackend('wasm');
  return [results[0], results[1]];
}

describe('ops on wasm match cpu', () => {
  test('matMul: batched attention-like [2,4,9,8]x[2,4,8,9] and 2-D, values and gradients', async () => {
    const rng = new Rng(21);
    for (const [as, bs] of [
      [[2, 4, 9, 8], [2, 4, 8, 9]],
      [[13, 40], [40, 37]],
    ]) {
      const a = randn(rng, as);
      const b = randn(rng, bs);
      const w = randn(rng, [...as.slice(0, -1), bs[bs.length - 1]]);
      const [cpu, wasm] = await onBoth([a, b, w], (x, y, ww) => {
        const out = matMul(x, y);
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(matMul(p, q), ww)))([x, y]);
        return [out, ...g];
      });
      for (let i = 0; i < 3; i++) expect(await maxAbsDiff(wasm[i], cpu[i])).toBeLessThan(1e-5);
      tf.dispose([a, b, w, ...cpu, ...wasm]);
    }
  });

  test('linear [2,5,32]x[32,37]+[37]: values and gradients', async () => {
    const rng = new Rng(22);
    const inputs = [randn(rng, [2, 5, 32]), randn(rng, [32, 37]), randn(rng, [37]), randn(rng, [2, 5, 37])];
    const [cpu, wasm] = await onBoth(inputs, (x, k, b, w) => {
      const f = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => linear(p, q as tf.Tensor2D, r as tf.Tensor1D);
      const out = f(x, k, b);
      const g = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(f(p, q, r), w)))([x, k, b]);
      return [out, ...g];
    });
    for (let i = 0; i < 4; i++) expect(await maxAbsDiff(wasm[i], cpu[i])).toBeLessThan(1e-5);
    tf.dispose([...inputs, ...cpu, ...wasm]);
  });

  test('gatherRows: gradient works on wasm (tf.gather gradient does not) and matches cpu', async () => {
    const rng = new Rng(23);
    const table = randn(rng, [99, 40]);
    const ids = randIds(rng, [4, 9], 99);
    const w = randn(rng, [4, 9, 40]);
    const [cpu, wasm] = await onBoth([table, ids, w], (t, i, ww) => {
      const out = gatherRows(t as tf.Tensor2D, i);
      const g = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(gatherRows(p as tf.Tensor2D, i), ww)))(t);
      return [out, g];
    });
    expect(await maxAbsDiff(wasm[0], cpu[0])).toBe(0);
    expect(await maxAbsDiff(wasm[1], cpu[1])).toBeLessThan(1e-5);
    // the reason this op exists: tfjs's own Gather gradient needs a kernel wasm does not have
    expect(() => tf.grad((p: tf.Tensor) => tf.sum(tf.gather(p, ids)))(table)).toThrow(/UnsortedSegmentSum/);
    tf.dispose([table, ids, w, ...cpu, ...wasm]);
  });
});
