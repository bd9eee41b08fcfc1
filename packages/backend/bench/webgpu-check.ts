// Script (not a test) for a machine with a GPU and no toolchain: checks that initBackend picks WebGPU through
// Dawn, that every op and gradient equals cpu within 1e-4, and times a large matMul on WebGPU. Bundled into one
// file with `pnpm run bundle:webgpu-check` (see package.json), so the GPU machine needs only node, the `webgpu`
// package folder and the .wasm files beside it.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, initBackend } from '../src/index.js';
import { opCases } from '../src/ops/op-cases.js';

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

async function runOn(backend: string, c: ReturnType<typeof opCases>[number]): Promise<ArrayLike<number>[]> {
  await tf.setBackend(backend);
  const xs = c.inputs.map((x, i) => tf.tensor(x.data as number[], x.shape, c.dtypes[i]));
  const out = c.f(...xs);
  const data = await Promise.all(out.map((t) => t.data()));
  tf.dispose([...out, ...xs]);
  return data;
}

async function gflops(n: number, reps: number): Promise<number> {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const warm = tf.matMul(a, b);
  await warm.data();
  warm.dispose();
  const t0 = performance.now();
  const outs: tf.Tensor[] = [];
  for (let i = 0; i < reps; i++) outs.push(tf.matMul(a, b));
  await Promise.all(outs.map((o) => o.data()));
  const s = (performance.now() - t0) / 1000;
  tf.dispose([a, b, ...outs]);
  return (2 * n ** 3 * reps) / s / 1e9;
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length} cores, Node ${process.version}`);
  await initBackend({ backend: 'cpu' });
  const choice = await initBackend({ prefer: ['webgpu', 'wasm', 'cpu'] });
  console.log(`chosen: ${choice.backend}`, JSON.stringify(choice.adapterInfo ?? {}), JSON.stringify(choice.reasons));
  let worst = 0;
  for (const c of opCases()) {
    const cpu = await runOn('cpu', c);
    const gpu = await runOn(choice.backend, c);
    const d = Math.max(...cpu.map((x, k) => maxDiff(x, gpu[k])));
    worst = Math.max(worst, d);
    console.log(`${c.name}: max |${choice.backend} - cpu| = ${d.toExponential(2)}`);
  }
  console.log(`ops ${worst <= 1e-4 ? 'PASS' : 'FAIL'} (worst ${worst.toExponential(2)}, tolerance 1e-4)`);
  await tf.setBackend(choice.backend);
  const small = await gflops(1024, 5);
  console.log(`matMul 1024³ on ${choice.backend}: ${small.toFixed(1)} GFLOP/s`);
  // the large one only where it finishes in seconds (not on llvmpipe / SwiftShader)
  if (small > 50) console.log(`matMul 4096³ on ${choice.backend}: ${(await gflops(4096, 5)).toFixed(0)} GFLOP/s`);
  console.log((await describeBackend(choice)).summary);
}

await main();
