// adamwUpdate and sumOfSquares: on cpu (their per-tensor fallback, checked against a float64 reference), and on
// WebGPU through Dawn (one dispatch for every tensor's AdamW update, two for the sum of squares; equal to the
// cpu fallback within 1e-6 relative). The WebGPU part is skipped, with the reason, where Dawn or Mesa's EGL is
// missing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../init-backend.js';
import { Rng } from '../rng.js';
import { adamwUpdate, type AdamWHyper } from './adamw-update.js';
import { globalNormAndClip, sumOfSquares } from './sum-squares.js';
import { runOn, webGpuSkipReason, type HostTensor } from './test-tensors.js';

const HYPER: AdamWHyper = { beta1: 0.9, beta2: 0.999, eps: 1e-6 };
// odd sizes (and one large tensor) so offsets, the binary search and partial workgroups are exercised
const SHAPES = [[37, 5], [5], [1], [3, 7, 11], [4099]];
const COEFFS = SHAPES.map((_, i) => ({ decayFactor: i % 2 === 0 ? 1 - 1e-3 * 0.01 : 1, stepSize: 1e-3 / (1 - 0.9 ** (i + 1)), bc2Sqrt: Math.sqrt(1 - 0.999 ** (i + 1)) }));

function host(rng: Rng, shape: number[], positive = false): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => (positive ? Math.abs(rng.normal()) * 1e-3 : rng.normal())) };
}

const rng = new Rng(5);
// per shape: param, grad, m, v; then the gradient scale
const INPUTS: HostTensor[] = [...SHAPES.flatMap((s) => [host(rng, s), host(rng, s), host(rng, s), host(rng, s, true)]), { shape: [], data: [0.37] }];
const DTYPES = INPUTS.map(() => 'float32' as const);

function update(...xs: tf.Tensor[]): tf.Tensor[] {
  const slots = SHAPES.map((_, i) => ({ param: xs[4 * i], grad: xs[4 * i + 1], m: xs[4 * i + 2], v: xs[4 * i + 3], ...COEFFS[i] }));
  return adamwUpdate(slots, HYPER, xs[xs.length - 1] as tf.Scalar).flatMap((r) => [r.param, r.m, r.v]);
}

/** float64 AdamW of element j of shape i (torch's arithmetic). */
function reference(i: number, j: number): [number, number, number] {
  const [p, g0, m0, v0] = [0, 1, 2, 3].map((k) => INPUTS[4 * i + k].data[j]);
  const g = g0 * 0.37;
  const m = m0 * HYPER.beta1 + g * (1 - HYPER.beta1);
  const v = v0 * HYPER.beta2 + g * g * (1 - HYPER.beta2);
  const c = COEFFS[i];
  return [p * c.decayFactor - (m / (Math.sqrt(v) / c.bc2Sqrt + HYPER.eps)) * c.stepSize, m, v];
}

function worstRel(got: HostTensor[], want: (i: number, j: number) => [number, number, number]): number {
  let worst = 0;
  SHAPES.forEach((_, i) => {
    for (let k = 0; k < 3; k++) {
      const g = got[3 * i + k].data;
      let scale = 0;
      let diff = 0;
      for (let j = 0; j < g.length; j++) {
        const w = want(i, j)[k];
        scale = Math.max(scale, Math.abs(w));
        diff = Math.max(diff, Math.abs(g[j] - w));
      }
      worst = Math.max(worst, diff / scale);
    }
  });
  return worst;
}

describe('optimizer ops on cpu (the per-tensor fallback)', () => {
  test('adamwUpdate equals a float64 AdamW within float32 rounding', async () => {
    await initBackend({ backend: 'cpu' });
    const got = await runOn('cpu', INPUTS, DTYPES, update);
    expect(worstRel(got, reference)).toBeLessThan(1e-6);
  });

  test('sumOfSquares equals the float64 sum', async () => {
    const xs = INPUTS.slice(0, 8);
    const [got] = await runOn('cpu', xs, DTYPES.slice(0, 8), (...ts) => [sumOfSquares(ts)]);
    const want = xs.reduce((s, x) => s + Array.from(x.data).reduce((a, b) => a + b * b, 0), 0);
    expect(Math.abs(got.data[0] - want) / want).toBeLessThan(1e-6);
  });
});

const skip = webGpuSkipReason();
if (skip) console.log(skip);
describe.skipIf(skip)('optimizer ops on WebGPU (Dawn) equal the cpu fallback', () => {
  test('adamwUpdate: one dispatch for every tensor, within 1e-6 relative of cpu', async () => {
    await initBackend({ backend: 'cpu' });
    const want = await runOn('cpu', INPUTS, DTYPES, update);
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
    await runOn('webgpu', INPUTS, DTYPES, update); // warm-up: compiles the pipeline
    const counter = countGpuCalls();
    const got = await runOn('webgpu', INPUTS, DTYPES, update);
    const calls = counter.read();
    counter.stop();
    const rel = worstRel(got, (i, j) => [0, 1, 2].map((k) => want[3 * i + k].data[j]) as [number, number, number]);
    console.log(`adamwUpdate on WebGPU: ${calls.dispatches} dispatch(es), worst relative difference to cpu ${rel.toExponential(2)}`);
    expect(rel).toBeLessThan(1e-6);
    expect(calls.dispatches).toBe(1);
  });

  test('sumOfSquares: two dispatches, within 1e-6 relative of cpu', async () => {
    const xs = INPUTS.slice(0, 20);
    const want = await runOn('cpu', xs, DTYPES.slice(0, 20), (...ts) => [sumOfSquares(ts)]);
    await runOn('webgpu', xs, DTYPES.slice(0, 20), (...ts) => [sumOfSquares(ts)]);
    const counter = countGpuCalls();
    const [got] = await runOn('webgpu', xs, DTYPES.slice(0, 20), (...ts) => [sumOfSquares(ts)]);
    const calls = counter.read();
    counter.stop();
    expect(Math.abs(got.data[0] - want[0].data[0]) / want[0].data[0]).toBeLessThan(1e-6);
    expect(calls.dispatches).toBe(2);
  });

  test('globalNormAndClip: the norm and the clipping coefficient in two dispatches, as the cpu ops', async () => {
    const xs = INPUTS.slice(0, 20);
    for (const maxNorm of [1, 1e6]) {
      const f = (...ts: tf.Tensor[]) => {
        const { norm, coef } = globalNormAndClip(ts, maxNorm);
        return [norm, coef];
      };
      await initBackend({ backend: 'cpu' });
      const want = await runOn('cpu', xs, DTYPES.slice(0, 20), f);
      expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
      await runOn('webgpu', xs, DTYPES.slice(0, 20), f);
      const counter = countGpuCalls();
      const got = await runOn('webgpu', xs, DTYPES.slice(0, 20), f);
      const calls = counter.read();
      counter.stop();
      expect(got.map((t) => t.shape)).toEqual([[], []]);
      expect(Math.abs(got[0].data[0] - want[0].data[0]) / want[0].data[0]).toBeLessThan(1e-6);
      expect(Math.abs(got[1].data[0] - want[1].data[0])).toBeLessThan(1e-6);
      if (maxNorm === 1) expect(want[1].data[0]).toBeLessThan(1); // these tensors' norm is over 1: clipped
      else expect(want[1].data[0]).toBe(1); // clamped at 1
      expect(calls.dispatches).toBe(2);
    }
  });
});
