// The fused ops (fusedLinear, addLayerNorm, fusedAttention / fusedSelfAttention, embeddingsLayerNorm) against
// their plain-tfjs references on cpu: on cpu itself (their fallback path), and on WebGPU through Dawn (the
// kernels: one dispatch each; values within 1e-5 relative, gradients within 1e-3 relative). The WebGPU part
// is skipped, with the reason, where Dawn or Mesa's EGL is missing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import { beforeAll, describe, expect, test } from 'vitest';
import { OpShapeError } from '../errors.js';
import { initBackend } from '../init-backend.js';
import { fusedCases, type FusedCase } from './fused-cases.js';
import { addLayerNorm } from './add-layer-norm.js';
import { fusedAttention } from './fused-attention.js';
import { fusedLinear } from './fused-linear.js';
import { maxDiff, runOn, webGpuSkipReason, type HostTensor } from './test-tensors.js';

/** max |a - b| over max(1, max |b|): absolute near 0, relative for large values. */
function relDiff(a: HostTensor, b: HostTensor): number {
  let scale = 1;
  for (let i = 0; i < b.data.length; i++) scale = Math.max(scale, Math.abs(b.data[i]));
  return maxDiff(a.data, b.data) / scale;
}

/** The op's value and its gradients w.r.t. c.wrt of loss = Σ y·w (w the last input). */
function withGrads(c: FusedCase, f: (...xs: tf.Tensor[]) => tf.Tensor) {
  return (...xs: tf.Tensor[]): tf.Tensor[] =>
    tf.tidy(() => {
      const w = xs[xs.length - 1];
      const y = f(...xs);
      const grads = tf.grads((...vs: tf.Tensor[]) => {
        const args = xs.slice();
        c.wrt.forEach((i, j) => (args[i] = vs[j]));
        return tf.sum(tf.mul(f(...args), w));
      })(c.wrt.map((i) => xs[i]));
      return [y, ...grads];
    });
}

async function compare(c: FusedCase, backend: string, valueTol: number, gradTol: number): Promise<string> {
  const want = await runOn('cpu', c.inputs, c.dtypes, withGrads(c, c.reference));
  const got = await runOn(backend, c.inputs, c.dtypes, withGrads(c, c.fused));
  expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
  const value = relDiff(got[0], want[0]);
  expect(value, `${c.name}: value`).toBeLessThanOrEqual(valueTol);
  let grad = 0;
  for (let k = 1; k < want.length; k++) {
    const d = relDiff(got[k], want[k]);
    expect(d, `${c.name}: gradient of input ${c.wrt[k - 1]}`).toBeLessThanOrEqual(gradTol);
    grad = Math.max(grad, d);
  }
  return `${c.name} [${backend}]: value ${value.toExponential(1)}, grads ${grad.toExponential(1)}`;
}

describe('fused ops on cpu (the fallback path) equal their references', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });
  for (const c of fusedCases()) test(c.name, () => compare(c, 'cpu', 1e-6, 1e-5));

  test('shape errors name the op, the expected and the actual shape', () => {
    const x = tf.zeros([4, 8]);
    expect(() => fusedLinear(x, tf.zeros([7, 3]) as tf.Tensor2D, null)).toThrow(OpShapeError);
    expect(() => fusedLinear(x, tf.zeros([7, 3]) as tf.Tensor2D, null)).toThrow(/kernel 0 must be \[8, N\] to match x \[4,8\], got \[7,3\]/);
    expect(() => fusedLinear(x, tf.zeros([8, 3]) as tf.Tensor2D, null, { residual: tf.zeros([4, 4]) })).toThrow(/residual must be \[4,3\], got \[4,4\]/);
    expect(() => addLayerNorm(x, null, tf.ones([7]) as tf.Tensor1D, tf.zeros([8]) as tf.Tensor1D, 1e-12)).toThrow(/gamma must be \[8\], got \[7\]/);
    const q = tf.zeros([1, 2, 3, 4]) as tf.Tensor4D;
    expect(() => fusedAttention(q, q, q, tf.zeros([1, 1, 1, 5]) as tf.Tensor4D, 1)).toThrow(/mask must be \[1 \| 1, 2 \| 1, 3 \| 1, 3\], got \[1,1,1,5\]/);
  });
});

const skip = webGpuSkipReason();
if (skip) console.warn(skip);

describe.skipIf(skip)('fused ops on WebGPU (Dawn) equal their references on cpu', () => {
  const measured: string[] = [];
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
    return () => console.log(measured.join('\n'));
  });
  for (const c of fusedCases()) {
    test(c.name, async () => {
      measured.push(await compare(c, 'webgpu', 1e-5, 1e-3));
    });
  }

  test('each fused op is one compute dispatch', async () => {
    for (const c of fusedCases()) {
      await tf.setBackend('webgpu');
      const xs = c.inputs.map((x, i) => tf.tensor(x.data as number[], x.shape, c.dtypes[i]));
      await Promise.all(xs.map((x) => x.data())); // uploaded, so nothing runs on the CPU path
      const warm = c.fused(...xs); // compiles the pipeline
      await warm.data();
      const counter = countGpuCalls();
      const y = c.fused(...xs);
      await y.data();
      const calls = counter.read();
      counter.stop();
      // a residual next to three weight blocks is added separately (a ninth storage buffer would be needed)
      expect(calls.dispatches, c.name).toBe(1);
      tf.dispose([warm, y, ...xs]);
    }
  });
});
