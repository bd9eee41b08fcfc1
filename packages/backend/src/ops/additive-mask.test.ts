// additiveMask: HF's (1 - mask) · float32.min as [B, 1, 1, T], from int32 or float32 masks; on WebGPU one dispatch
// with the values of the cpu ops.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import { additiveMask } from './additive-mask.js';
import { runOn, webGpuSkipReason, type HostTensor } from './test-tensors.js';

const MIN = -3.4028234663852886e38;
const MASK: HostTensor = { shape: [2, 5], data: Int32Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]) };
const WANT = [0, 0, 0, MIN, MIN, 0, 0, 0, 0, 0];

describe('additiveMask', () => {
  test('on cpu: [B, 1, 1, T], 0 for tokens and float32 min for padding, int32 or float32 masks', async () => {
    await initBackend({ backend: 'cpu' });
    for (const dtype of ['int32', 'float32'] as const) {
      const [got] = await runOn('cpu', [MASK], [dtype], (m) => [additiveMask(m as tf.Tensor2D)]);
      expect(got.shape).toEqual([2, 1, 1, 5]);
      expect(Array.from(got.data, (x) => x + 0)).toEqual(WANT); // (1 - 1) · min is -0, as in torch
    }
    expect(() => additiveMask(tf.zeros([2, 1, 5]) as unknown as tf.Tensor2D)).toThrow('mask must be [B, T], got [2,1,5]');
  });

  const skip = webGpuSkipReason();
  test.skipIf(skip)('on WebGPU: the same values in one dispatch', async () => {
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
    for (const dtype of ['int32', 'float32'] as const) {
      await runOn('webgpu', [MASK], [dtype], (m) => [additiveMask(m as tf.Tensor2D)]); // compiles the pipeline
      const counter = countGpuCalls();
      const [got] = await runOn('webgpu', [MASK], [dtype], (m) => [additiveMask(m as tf.Tensor2D)]);
      const calls = counter.read();
      counter.stop();
      expect(got.shape).toEqual([2, 1, 1, 5]);
      expect(Array.from(got.data, (x) => x + 0)).toEqual(WANT); // (1 - 1) · min is -0, as in torch
      expect(calls.dispatches).toBe(1);
    }
  });
});
