// Test helpers (imported only by *.test.ts): seeded random tensors, running a function on a given backend,
// and max-abs-diff between results.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Rng } from '../rng.js';

export function randn(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape, 'float32');
}

export function randIds(rng: Rng, shape: number[], vocab: number): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(Int32Array.from({ length: n }, () => rng.int(vocab)), shape, 'int32');
}

export async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = await Promise.all([a.data(), b.data()]);
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape [${a.shape}] vs [${b.shape}]`);
  return maxDiff(x, y);
}

export function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

export interface HostTensor {
  shape: number[];
  data: ArrayLike<number>;
}

/**
 * Runs `f` on `backend` with fresh copies of `inputs` (host arrays) and returns its outputs read back with
 * `await t.data()` (never dataSync: GPU backends). Asserts that `f` leaves no tensor behind but its outputs.
 */
export async function runOn(
  backend: string,
  inputs: HostTensor[],
  dtypes: tf.DataType[],
  f: (...xs: tf.Tensor[]) => tf.Tensor[],
): Promise<HostTensor[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const copies = inputs.map((x, i) => tf.tensor(x.data as number[], x.shape, dtypes[i]));
  const before = tf.memory().numTensors;
  const out = f(...copies);
  expect(tf.memory().numTensors).toBe(before + out.length);
  const host = await Promise.all(out.map(async (t) => ({ shape: t.shape, data: await t.data() })));
  tf.dispose([...out, ...copies]);
  return host;
}

/** Host copy of a tensor, to feed {@link runOn} on several backends. */
export async function toHost(t: tf.Tensor): Promise<HostTensor> {
  return { shape: t.shape, data: await t.data() };
}

/** Why WebGPU-in-Node tests cannot run here (no Dawn package, no Mesa EGL), or false when they can. */
export function webGpuSkipReason(): string | false {
  try {
    createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return "optional package 'webgpu' (Dawn for Node) is not installed: WebGPU-in-Node tests skipped";
  }
  const libDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];
  if (process.platform === 'linux' && !libDirs.some((d) => existsSync(`${d}/libEGL_mesa.so.0`))) {
    return 'Mesa EGL (libEGL_mesa.so.0) not found: run scripts/system-deps.sh; WebGPU-in-Node tests skipped';
  }
  return false;
}
