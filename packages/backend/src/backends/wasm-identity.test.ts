import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import '../ops/register-gradients.js';

beforeAll(async () => {
  expect((await initBackend({ backend: 'wasm' })).backend).toBe('wasm');
});

interface WasmBackend {
  dataIdMap: { get(id: object): { refCount: number; memoryOffset: number } | undefined };
}

describe('wasm Identity shares its input buffer', () => {
  test('a clone points at the same heap memory, outlives its source, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const c = tf.clone(x);
    const be = tf.backend() as unknown as WasmBackend;
    expect(be.dataIdMap.get(c.dataId)?.memoryOffset).toBe(be.dataIdMap.get(x.dataId)?.memoryOffset);
    x.dispose();
    expect(Array.from(await c.data())).toEqual([1, 2, 3, 4, 5, 6]);
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a clone taken before Variable.assign keeps the old values', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const c = tf.clone(v);
    v.assign(tf.tensor1d([7, 8]));
    expect(Array.from(await c.data())).toEqual([1, 2]);
    expect(Array.from(await v.data())).toEqual([7, 8]);
    tf.dispose([v, c]);
  });

  test('gradients through saved tensors are unchanged (x·exp(x), whose kernels save inputs and outputs)', async () => {
    const x = tf.tensor1d([0.5, -1, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, tf.exp(t))))(x);
    const want = [0.5, -1, 2].map((v) => Math.exp(v) * (1 + v));
    (await g.data()).forEach((d, i) => expect(d).toBeCloseTo(want[i], 5));
    tf.dispose([x, g]);
  });

  test('strings still go through the original kernel', () => {
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = tf.clone(s);
    expect(c.dtype).toBe('string');
    tf.dispose([s, c]);
  });
});
