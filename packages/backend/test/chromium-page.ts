// Browser side of the Chromium smoke test (bundled by esbuild for the browser): initialise WebGPU through
// initBackend, run a matMul and its gradient, and publish the outcome on window.__result.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, matMul } from '../src/index.js';

interface SmokeResult {
  backend?: string;
  adapter?: unknown;
  value?: number[];
  gradA?: number[];
  error?: string;
}

async function main(): Promise<SmokeResult> {
  const choice = await initBackend({ prefer: ['webgpu'] });
  const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tf.tensor2d([0.5, -1, 2, 0.25, -3, 1.5], [3, 2]);
  const y = matMul(a, b); // [2, 2]
  const ga = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(matMul(x, b), tf.tensor2d([1, 2, 3, 4], [2, 2]))))(a);
  const result = { backend: tf.getBackend(), adapter: choice.adapterInfo, value: Array.from(await y.data()), gradA: Array.from(await ga.data()) };
  tf.dispose([a, b, y, ga]);
  return result;
}

const w = window as unknown as { __result?: SmokeResult };
main().then(
  (r) => (w.__result = r),
  (e: unknown) => (w.__result = { error: e instanceof Error ? e.message : String(e) }),
);
