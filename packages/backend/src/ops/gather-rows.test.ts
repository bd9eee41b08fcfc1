import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { OpShapeError } from '../errors.js';
import { Rng } from '../rng.js';
import { gatherRows } from './gather-rows.js';
import { maxAbsDiff, randIds, randn } from './test-tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gatherRows on cpu', () => {
  test('[99,32] table, [3,7] ids with repeats: values and gradient equal tf.gather', async () => {
    const rng = new Rng(5);
    const table = randn(rng, [99, 32]) as tf.Tensor2D;
    const ids = randIds(rng, [3, 7], 10); // ids < 10 out of 99: many repeats, many untouched rows
    const w = randn(rng, [3, 7, 32]);
    const before = tf.memory().numTensors;
    const y = gatherRows(table, ids);
    const yRef = tf.gather(table, ids);
    expect(y.shape).toEqual([3, 7, 32]);
    expect(await maxAbsDiff(y, yRef)).toBe(0);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t as tf.Tensor2D, ids), w)))(table);
    const gRef = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), w)))(table);
    expect(await maxAbsDiff(g, gRef)).toBeLessThan(1e-5);
    // rows never looked up get exactly zero gradient
    const tail = tf.slice(g, [10, 0], [89, 32]);
    const untouched = await tail.data();
    tail.dispose();
    expect(untouched.every((v) => v === 0)).toBe(true);
    tf.dispose([y, yRef, g, gRef]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, ids, w]);
  });

  test('exact ids: row i of the output is table row ids[i]', async () => {
    const table = tf.tensor2d([[0, 1], [10, 11], [20, 21]]);
    const ids = tf.tensor1d([2, 0, 2], 'int32');
    const y = gatherRows(table, ids);
    expect(await y.array()).toEqual([[20, 21], [0, 1], [20, 21]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(gatherRows(t as tf.Tensor2D, ids)))(table);
    expect(await g.array()).toEqual([[1, 1], [0, 0], [2, 2]]);
    tf.dispose([table, ids, y, g]);
  });

  test('rejects float ids and a non-2-D table', () => {
    const table = tf.zeros([4, 2]) as tf.Tensor2D;
    const fids = tf.tensor1d([1, 2], 'float32');
    expect(() => gatherRows(table, fids)).toThrow(OpShapeError);
    expect(() => gatherRows(table, fids)).toThrow(/ids must be int32, got float32/);
    const t3 = tf.zeros([2, 2, 2]) as unknown as tf.Tensor2D;
    const ids = tf.tensor1d([0], 'int32');
    expect(() => gatherRows(t3, ids)).toThrow(/table must be \[V, H\], got \[2,2,2\]/);
    tf.dispose([table, fids, t3, ids]);
  });
});
