import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { OpShapeError } from '../errors.js';
import { Rng } from '../rng.js';
import { matMul } from './mat-mul.js';
import { maxAbsDiff, randn } from './test-tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Reference: tf.matMul with tfjs's own BatchMatMul gradient; the loss weights each output element differently
// so that a transposed gradient would not match by symmetry.
function check(aShape: number[], bShape: number[]) {
  return async () => {
    const rng = new Rng(7);
    const a = randn(rng, aShape);
    const b = randn(rng, bShape);
    const w = randn(rng, [...aShape.slice(0, -1), bShape[bShape.length - 1]]);
    const before = tf.memory().numTensors;
    const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(f(x, y), w));
    const ref = (x: tf.Tensor, y: tf.Tensor) =>
      y.rank === 2 && x.rank > 2
        ? tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), y), [...x.shape.slice(0, -1), y.shape[1] as number])
        : tf.matMul(x, y);
    const yRef = tf.tidy(() => ref(a, b));
    const yOurs = matMul(a, b);
    const [gaRef, gbRef] = tf.grads(loss(ref))([a, b]);
    const [ga, gb] = tf.grads(loss(matMul))([a, b]);
    expect(yOurs.shape).toEqual(yRef.shape);
    expect(await maxAbsDiff(yOurs, yRef)).toBe(0);
    expect(await maxAbsDiff(ga, gaRef)).toBeLessThan(1e-5);
    expect(await maxAbsDiff(gb, gbRef)).toBeLessThan(1e-5);
    tf.dispose([yRef, yOurs, gaRef, gbRef, ga, gb]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, w]);
  };
}

describe('matMul on cpu', () => {
  test('2-D [5,7]x[7,3]: values and gradients equal tf.matMul', check([5, 7], [7, 3]));
  test('batched [2,3,5,7]x[2,3,7,4]', check([2, 3, 5, 7], [2, 3, 7, 4]));
  test('batched a [3,5,7] x 2-D b [7,11] folds the batch', check([3, 5, 7], [7, 11]));
  test('rejects mismatched inner dimensions, naming both shapes', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([4, 5]);
    expect(() => matMul(a, b)).toThrow(OpShapeError);
    expect(() => matMul(a, b)).toThrow(/a \[2,3\] has K=3, b \[4,5\] has K=4/);
    tf.dispose([a, b]);
  });
  test('rejects unequal batch dimensions', () => {
    const a = tf.zeros([2, 3, 4]);
    const b = tf.zeros([3, 4, 5]);
    expect(() => matMul(a, b)).toThrow(/batch dimensions must be equal/);
    tf.dispose([a, b]);
  });
});
