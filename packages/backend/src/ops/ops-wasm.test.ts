// The ops on tfjs-backend-wasm, compared with cpu: wasm lacks UnsortedSegmentSum (tf.gather's gradient),
// which gatherRows avoids, and its transposed products are slow, which matMul's gradient avoids.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import { opCases } from './op-cases.js';
import { maxDiff, runOn } from './test-tensors.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  expect((await initBackend({ backend: 'wasm' })).backend).toBe('wasm');
});

describe('ops on wasm match cpu within 1e-5', () => {
  for (const c of opCases()) {
    test(c.name, async () => {
      const cpu = await runOn('cpu', c.inputs, c.dtypes, c.f);
      const wasm = await runOn('wasm', c.inputs, c.dtypes, c.f);
      expect(wasm.map((t) => t.shape)).toEqual(cpu.map((t) => t.shape));
      for (let k = 0; k < cpu.length; k++) expect(maxDiff(wasm[k].data, cpu[k].data), `${c.name} output ${k}`).toBeLessThan(1e-5);
    });
  }

  test("tfjs's own tf.gather gradient fails on wasm (why gatherRows exists)", async () => {
    await tf.setBackend('wasm');
    const table = tf.ones([5, 3]);
    const ids = tf.tensor1d([0, 4, 0], 'int32');
    expect(() => tf.grad((p: tf.Tensor) => tf.sum(tf.gather(p, ids)))(table)).toThrow(/UnsortedSegmentSum/);
    tf.dispose([table, ids]);
  });
});
