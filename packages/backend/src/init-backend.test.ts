import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { BackendError } from './errors.js';
import { initBackend } from './init-backend.js';
import { matMul } from './ops/mat-mul.js';

async function product(): Promise<number[]> {
  const y = tf.tidy(() => matMul(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1], [10], [100]])));
  const v = Array.from(await y.data());
  y.dispose();
  return v;
}

describe('initBackend', () => {
  test('cpu chosen explicitly; every other backend says it was not asked for', async () => {
    const choice = await initBackend({ backend: 'cpu' });
    expect(choice.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.adapterInfo).toBeUndefined();
    expect(choice.reasons).toEqual({
      webgpu: 'not in the preference list',
      'tfjs-node-gpu': 'not in the preference list',
      'tfjs-node': 'not in the preference list',
      wasm: 'not in the preference list',
    });
    expect(await product()).toEqual([321]);
  });

  test('wasm chosen explicitly, .wasm files found from the installed package', async () => {
    const choice = await initBackend({ backend: 'wasm' });
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await product()).toEqual([321]);
  });

  test('prefer order: a missing optional peer reports why, the next one is chosen, later ones not tried', async () => {
    const choice = await initBackend({ prefer: ['tfjs-node', 'wasm', 'cpu'] });
    expect(choice.backend).toBe('wasm');
    expect(choice.reasons['tfjs-node']).toMatch(/@tensorflow\/tfjs-node is not installed/);
    expect(choice.reasons.cpu).toBe("not tried: 'wasm' came earlier in the preference");
    expect(choice.reasons.webgpu).toBe('not in the preference list');
    expect(choice.reasons.wasm).toBeUndefined();
  });

  test('an explicit backend that cannot initialise throws a BackendError naming it', async () => {
    const err = await initBackend({ backend: 'tfjs-node-gpu' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).backend).toBe('tfjs-node-gpu');
    expect((err as BackendError).message).toMatch(/^backend 'tfjs-node-gpu': @tensorflow\/tfjs-node-gpu is not installed/);
  });

  test('when every preference fails the error lists each reason', async () => {
    await expect(initBackend({ prefer: ['tfjs-node', 'tfjs-node-gpu'] })).rejects.toThrow(
      /no backend could be initialised \(tfjs-node: @tensorflow\/tfjs-node is not installed.*; tfjs-node-gpu: /,
    );
  });

  test('bad options are rejected with the field and the value', async () => {
    await expect(initBackend({ prefer: [] })).rejects.toThrow(/'prefer' must name at least one backend, got \[\]/);
    await expect(initBackend({ prefer: ['gpu' as never] })).rejects.toThrow(
      /unknown backend 'gpu', expected one of webgpu, tfjs-node-gpu, tfjs-node, wasm, cpu/,
    );
    await expect(initBackend({ backend: 'cpu', prefer: ['wasm'] })).rejects.toThrow(/give 'backend' or 'prefer', not both/);
  });
});
