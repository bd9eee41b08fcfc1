// Browser side of the Chromium smoke test (bundled by esbuild for the browser): initialise WebGPU through
// initBackend, run a matMul and its gradient, and publish the outcome on window.__result. WebGPU is named
// explicitly: headless Chromium without a GPU offers SwiftShader, a software adapter that a preference list skips.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, matMul } from '../src/index.js';

interface SmokeResult {
  backend?: string;
  adapter?: unknown;
  notice?: string;
  skippedByDefault?: string;
  value?: number[];
  gradA?: number[];
  error?: string;
}

async function main(): Promise<SmokeResult> {
  const choice = await initBackend({ backend: 'webgpu' });
  const byDefault = choice.adapterInfo?.software ? await initBackend({ prefer: ['webgpu', 'cpu'] }) : undefined;
  if (byDefault !== undefined) await initBackend({ backend: 'webgpu' });
  const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tf.tensor2d([0.5, -1, 2, 0.25, -3, 1.5], [3, 2]);
  const y = matMul(a, b); // [2, 2]
  const ga = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(matMul(x, b), tf.tensor2d([1, 2, 3, 4], [2, 2]))))(a);
  const result = { backend: tf.getBackend(), adapter: choice.adapterInfo, notice: choice.notice, skippedByDefault: byDefault?.reasons.webgpu, value: Array.from(await y.data()), gradA: Array.from(await ga.data()) };
  tf.dispose([a, b, y, ga]);
  return result;
}

const w = window as unknown as { __result?: SmokeResult };
main().then(
  (r) => (w.__result = r),
  (e: unknown) => (w.__result = { error: e instanceof Error ? e.message : String(e) }),
);
