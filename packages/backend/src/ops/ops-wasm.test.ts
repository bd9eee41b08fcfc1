// The ops on tfjs-backend-wasm, compared with cpu: wasm lacks UnsortedSegmentSum (tf.gather's gradient),
// which gatherRows avoids, and its transposed products are slow, which matMul's gradient avoids.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { WASM_BATCHED_MAT_MUL } from '../backends/wasm-batched-mat-mul.js';
import { initBackend } from '../init-backend.js';
import { matMul } from './mat-mul.js';
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

  test('batched products run on XNNPACK entry by entry (odd sizes, same values as cpu, no leaked views)', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomNormal([3, 2, 13, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([3, 2, 7, 11], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => matMul(a, b));
    expect(profile.kernelNames).toContain(WASM_BATCHED_MAT_MUL);
    expect(profile.kernelNames).not.toContain('BatchMatMul');
    const y = matMul(a, b);
    const got = await y.data();
    const [ha, hb] = [await a.data(), await b.data()];
    await tf.setBackend('cpu');
    const wantT = tf.tidy(() => tf.matMul(tf.tensor(ha, [3, 2, 13, 7]), tf.tensor(hb, [3, 2, 7, 11])));
    const want = await wantT.data();
    wantT.dispose();
    expect(maxDiff(got, want)).toBeLessThan(1e-5);
    await tf.setBackend('wasm');
    tf.dispose([y, profile.result as tf.Tensor]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
