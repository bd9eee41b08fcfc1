import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { describeBackend } from './describe-backend.js';
import { initBackend } from './init-backend.js';

describe('describeBackend', () => {
  test('before any backend: says so and initialises none', async () => {
    const r = await describeBackend();
    expect(r).toEqual({ backend: null, tfBackend: null, memory: null, summary: 'no backend initialised' });
    expect(tf.getBackend()).toBeFalsy();
  });

  test('cpu: name, memory and a one-line summary that counts live tensors', async () => {
    await initBackend({ backend: 'cpu' });
    const before = tf.memory().numTensors;
    const t = tf.zeros([1000, 250]); // 1 MB of float32
    const r = await describeBackend();
    expect(r.backend).toBe('cpu');
    expect(r.tfBackend).toBe('cpu');
    expect(r.adapterInfo).toBeUndefined();
    expect(r.memory?.numTensors).toBe(before + 1);
    expect(r.memory?.numBytes).toBeGreaterThanOrEqual(1_000_000);
    expect(r.summary).toMatch(new RegExp(`^cpu · ${before + 1} tensors, \\d+\\.\\d MB$`));
    t.dispose();
  });

  test('wasm: reports SIMD and one thread (Node) from tfjs-backend-wasm flags', async () => {
    const choice = await initBackend({ backend: 'wasm' });
    const r = await describeBackend(choice);
    expect(r.backend).toBe('wasm');
    expect(r.wasm).toEqual({ simd: true, threads: false });
    expect(r.summary).toMatch(/^wasm \(SIMD, one thread\) · \d+ tensors, /);
  });
});
