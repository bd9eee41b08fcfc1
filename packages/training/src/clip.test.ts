import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, globalNorm } from './clip.js';
import { GradAccumulator } from './accumulate.js';

describe('clipByGlobalNorm', () => {
  it('global norm over all tensors; scales by maxNorm / (norm + 1e-6) when above', async () => {
    const grads = new Map<string, tf.Tensor>([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor2d([[0, 4], [0, 0]])],
    ]);
    expect(await globalNorm(grads)).toBeCloseTo(5, 6);
    const n = tf.memory().numTensors;
    const { grads: out, norm } = clipByGlobalNorm(grads, 1.0);
    expect(tf.memory().numTensors).toBe(n + 3); // two clipped gradients + the norm
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    const c = 1 / (5 + 1e-6);
    expect(out.get('a')!.dataSync()[0]).toBeCloseTo(3 * c, 7);
    expect(out.get('b')!.dataSync()[1]).toBeCloseTo(4 * c, 7);
    tf.dispose([...grads.values(), ...out.values(), norm]);
  });

  it('leaves gradients under the threshold unchanged (coefficient clamped to 1)', () => {
    const grads = new Map([['a', tf.tensor1d([0.3, -0.4])]]);
    const { grads: out, norm } = clipByGlobalNorm(grads, 1.0);
    expect(norm.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(Array.from(out.get('a')!.dataSync())).toEqual(Array.from(grads.get('a')!.dataSync()));
    tf.dispose([...grads.values(), ...out.values(), norm]);
    expect(() => clipByGlobalNorm(new Map(), 0)).toThrow(/maxNorm: expected a finite number > 0, got 0/);
  });
});

describe('GradAccumulator', () => {
  it('averages (or sums) k micro-batches and resets, without leaks', () => {
    const acc = new GradAccumulator();
    const n = tf.memory().numTensors;
    for (const k of [1, 2, 6]) {
      const g = new Map([['w', tf.tensor1d([k, -k])]]);
      acc.add(g);
      tf.dispose([...g.values()]);
    }
    expect(acc.count).toBe(3);
    const mean = acc.take();
    expect(Array.from(mean.get('w')!.dataSync())).toEqual([3, -3]);
    expect(acc.count).toBe(0);
    tf.dispose([...mean.values()]);
    expect(tf.memory().numTensors).toBe(n);
    const g = new Map([['w', tf.tensor1d([1, 2])]]);
    acc.add(g);
    acc.add(g);
    const sum = acc.take('sum');
    expect(Array.from(sum.get('w')!.dataSync())).toEqual([2, 4]);
    tf.dispose([...g.values(), ...sum.values()]);
    acc.dispose();
    expect(tf.memory().numTensors).toBe(n);
  });
});
