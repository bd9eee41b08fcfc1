// crossEntropy on WebGPU (its fused kernels: per-row loss, mean, gradient) against the cpu ops: value and
// gradient within 1e-5, rows labelled -100 ignored, three dispatches for forward and backward together. Skipped,
// with the reason, without Dawn or Mesa's EGL.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import { Rng } from '../rng.js';
import { accuracy, crossEntropy } from './cross-entropy.js';
import { maxDiff, runOn, webGpuSkipReason, type HostTensor } from './test-tensors.js';

const N = 37;
const C = 1031; // odd, past one workgroup's stride
const rng = new Rng(11);
const LOGITS: HostTensor = { shape: [N, C], data: Float32Array.from({ length: N * C }, () => 4 * rng.normal()) };
const LABELS: HostTensor = { shape: [N], data: Int32Array.from({ length: N }, (_, i) => (i % 5 === 3 ? -100 : rng.int(C))) };

function lossAndGrad(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor[] {
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, labels as tf.Tensor1D))([logits]);
  return [value, grads[0]];
}

const skip = webGpuSkipReason();
if (skip) console.log(skip);
describe.skipIf(skip)('crossEntropy on WebGPU (Dawn)', () => {
  test('equals the cpu ops (value and gradient) in three dispatches', async () => {
    await initBackend({ backend: 'cpu' });
    const want = await runOn('cpu', [LOGITS, LABELS], ['float32', 'int32'], lossAndGrad);
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
    await runOn('webgpu', [LOGITS, LABELS], ['float32', 'int32'], lossAndGrad); // compiles the pipelines
    const counter = countGpuCalls();
    const got = await runOn('webgpu', [LOGITS, LABELS], ['float32', 'int32'], lossAndGrad);
    const calls = counter.read();
    counter.stop();
    expect(Math.abs(got[0].data[0] - want[0].data[0]) / want[0].data[0]).toBeLessThan(1e-5);
    expect(maxDiff(got[1].data, want[1].data)).toBeLessThan(1e-6); // entries are at most 1 / 30 here
    expect(calls.dispatches).toBe(3);
  });

  test('accuracy equals the cpu ops in two dispatches, ties going to the first maximum as tf.argMax', async () => {
    // rows 0-2 tie their two largest logits at the label (0), before it (1) and after it (2)
    const tied = Float32Array.from(LOGITS.data as Float32Array);
    const labels = Int32Array.from(LABELS.data as Int32Array);
    for (const [row, first, second, label] of [[0, 5, 9, 5], [1, 5, 9, 9], [2, 0, C - 1, 0]]) {
      tied[row * C + first] = 50;
      tied[row * C + second] = 50;
      labels[row] = label;
    }
    for (let row = 3; row < N; row += 4) if (labels[row] !== -100) tied[row * C + labels[row]] = 60; // some hits
    const inputs: HostTensor[] = [{ shape: [N, C], data: tied }, { shape: [N], data: labels }];
    const acc = (x: tf.Tensor, y: tf.Tensor) => [accuracy(x as tf.Tensor2D, y as tf.Tensor1D)];
    await initBackend({ backend: 'cpu' });
    const want = await runOn('cpu', inputs, ['float32', 'int32'], acc);
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
    await runOn('webgpu', inputs, ['float32', 'int32'], acc);
    const counter = countGpuCalls();
    const got = await runOn('webgpu', inputs, ['float32', 'int32'], acc);
    const calls = counter.read();
    counter.stop();
    expect(want[0].data[0]).toBeGreaterThan(0.2);
    expect(got[0].data[0]).toBeCloseTo(want[0].data[0], 6);
    expect(calls.dispatches).toBe(2);
  });
});
