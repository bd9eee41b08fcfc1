// Counter-based dropout: the JS hash is a pure function of (key, index), drops about `rate` of the elements,
// gives unrelated streams for neighbouring keys, and the WebGPU kernel (WGSL) drops exactly the elements the
// JS mask drops, forward and backward.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import { dropout } from './dropout.js';
import { dropoutHash, dropoutMask, dropoutThreshold } from './dropout-hash.js';
import { runOn, webGpuSkipReason, type HostTensor } from './test-tensors.js';

describe('dropoutHash', () => {
  test('is a pure function of key and index, uint32-valued', () => {
    expect(dropoutHash(7, 123)).toBe(dropoutHash(7, 123));
    for (const [k, i] of [[0, 0], [0xffffffff, 0xffffffff], [1, 2]]) {
      const h = dropoutHash(k, i);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });

  test('drops close to the rate, and neighbouring keys share no more kept elements than chance', () => {
    const n = 200_000;
    for (const rate of [0.1, 0.5]) {
      const a = dropoutMask({ rate, key: 41 }, n);
      const b = dropoutMask({ rate, key: 42 }, n);
      let dropped = 0;
      let both = 0;
      for (let i = 0; i < n; i++) {
        if (a[i] === 0) dropped += 1;
        if (a[i] === 0 && b[i] === 0) both += 1;
      }
      expect(Math.abs(dropped / n - rate)).toBeLessThan(0.005);
      expect(Math.abs(both / n - rate * rate)).toBeLessThan(0.005);
    }
    expect(dropoutMask({ rate: 0.25, key: 3 }, 4).every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
  });

  test('rejects a rate outside [0, 1), naming it', () => {
    expect(() => dropoutThreshold(1)).toThrow('dropout rate: expected a number in [0, 1), got 1');
    expect(() => dropoutThreshold(-0.1)).toThrow(/got -0.1/);
  });
});

const skip = webGpuSkipReason();

describe.skipIf(skip)('dropout on WebGPU drops what the JS mask drops', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
  });

  test('forward and gradient equal x · mask and dy · mask', async () => {
    const shape = [3, 7, 101];
    const size = shape[0] * shape[1] * shape[2];
    const x: HostTensor = { shape, data: Float32Array.from({ length: size }, (_, i) => Math.sin(i) + 2) };
    const w: HostTensor = { shape, data: Float32Array.from({ length: size }, (_, i) => Math.cos(i)) };
    const draw = { rate: 0.3, key: 0xdeadbeef };
    const f = (xs: tf.Tensor, ws: tf.Tensor) => [dropout(xs, draw), tf.grad((v: tf.Tensor) => tf.sum(tf.mul(dropout(v, draw), ws)))(xs)];
    const [y, g] = await runOn('webgpu', [x, w], ['float32', 'float32'], f);
    const mask = dropoutMask(draw, size);
    for (let i = 0; i < size; i++) {
      expect(y.data[i]).toBeCloseTo(x.data[i] * mask[i], 5);
      expect(g.data[i]).toBeCloseTo(w.data[i] * mask[i], 5);
    }
  });
});
