import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, crossEntropy } from './cross-entropy.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('losses', () => {
  it('cross-entropy is the mean NLL of log-softmax; accuracy counts arg-max hits', () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 1, 3]]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = ((lse([2, 0, 0]) - 2) + (lse([0, 1, 3]) - 1)) / 2;
    expect(crossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(want, 6);
    expect(accuracy(logits, labels).dataSync()[0]).toBe(0.5);
    // fused gradient: (softmax(x) - onehot) / N
    const g = tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, labels))(logits).arraySync() as number[][];
    const sm = (r: number[]) => r.map((v) => Math.exp(v - lse(r)));
    [[2, 0, 0], [0, 1, 3]].forEach((r, i) => sm(r).forEach((p, j) => expect(g[i][j]).toBeCloseTo((p - (j === [0, 1][i] ? 1 : 0)) / 2, 6)));
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    expect(crossEntropy(empty, tf.tensor1d([], 'int32')).dataSync()[0]).toBe(0);
  });
});

describe('crossEntropy with ignored rows', () => {
  it('averages over kept rows only (torch ignore_index -100) and gives ignored rows no gradient', () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 1, 3], [5, -1, 0]]);
    const labels = tf.tensor1d([0, -100, 2], 'int32');
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = ((lse([2, 0, 0]) - 2) + (lse([5, -1, 0]) - 0)) / 2;
    const n = tf.memory().numTensors;
    const loss = crossEntropy(logits, labels);
    expect(tf.memory().numTensors).toBe(n + 1);
    expect(loss.dataSync()[0]).toBeCloseTo(want, 6);
    expect(accuracy(logits, labels).dataSync()[0]).toBe(0.5); // row 0 right, row 2 wrong, row 1 ignored
    const g = tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, labels))(logits).arraySync() as number[][];
    expect(g[1].map(Math.abs)).toEqual([0, 0, 0]);
    const sm = (r: number[]) => r.map((v) => Math.exp(v - lse(r)));
    sm([5, -1, 0]).forEach((p, j) => expect(g[2][j]).toBeCloseTo((p - (j === 2 ? 1 : 0)) / 2, 6));
    const none = tf.tensor1d([-100, -100, -100], 'int32');
    expect(crossEntropy(logits, none).dataSync()[0]).toBe(0);
    tf.dispose([logits, labels, loss, none]);
  });
});
