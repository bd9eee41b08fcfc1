// wasm on worker_threads (initBackend's wasmThreads): the threaded SIMD build starts in Node, its kernels give the
// single-threaded results, and a bad thread count is an error naming the option. Its own file: the wasm backend
// a process starts first is the one it keeps.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';

describe('wasmThreads', () => {
  it('runs tfjs-backend-wasm threaded build on 2 threads, with the cpu results', async () => {
    await expect(initBackend({ backend: 'wasm', wasmThreads: 0 })).rejects.toThrow("wasmThreads: expected an integer >= 1 or 'cores', got 0");
    const a = Float32Array.from({ length: 300 * 200 }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: 200 * 170 }, (_, i) => Math.cos(i));
    const product = async () => {
      const y = tf.matMul(tf.tensor2d(a, [300, 200]), tf.tensor2d(b, [200, 170]));
      const out = (await y.data()) as Float32Array;
      return out;
    };
    await initBackend({ backend: 'cpu' });
    const want = await product();
    expect((await initBackend({ backend: 'wasm', wasmThreads: 2 })).backend).toBe('wasm');
    const module = (tf.backend() as unknown as { wasm: { PThread?: { unusedWorkers: unknown[]; runningWorkers: unknown[] } } }).wasm;
    expect(module.PThread).toBeDefined(); // the Emscripten pthread build, not the single-threaded one
    const got = await product();
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-3);
    expect(module.PThread!.unusedWorkers.length + module.PThread!.runningWorkers.length).toBeGreaterThan(0);
  });
});
