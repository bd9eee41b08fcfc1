import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { activation, dropout, geluErf, geluTanh } from './modules.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('activations', () => {
  const xs = [-3, -1, -0.5, 0, 0.5, 1, 2, 3];

  it('gelu is the exact erf form (torch.nn.functional.gelu values)', () => {
    // torch.nn.functional.gelu(torch.tensor([-3., -1., -.5, 0., .5, 1., 2., 3.]), approximate='none'), float64
    const want = [-0.0040496, -0.1586553, -0.1542687, 0, 0.3457313, 0.8413447, 1.9544997, 2.9959503];
    const got = tf.tidy(() => geluErf(tf.tensor1d(xs)).arraySync());
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(2e-6));
  });

  it('gelu_new / gelu_pytorch_tanh are the tanh approximation, which differs from erf GELU', () => {
    const tanhForm = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    const got = tf.tidy(() => geluTanh(tf.tensor1d(xs)).arraySync());
    got.forEach((g, i) => expect(Math.abs(g - tanhForm(xs[i]))).toBeLessThan(1e-6));
    expect(activation('gelu_new')).toBe(geluTanh);
    expect(activation('gelu_pytorch_tanh')).toBe(geluTanh);
    expect(activation('gelu')).toBe(geluErf);
    // the two GELUs differ by ~1e-4 around |x| = 2: parity needs the exact one
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(geluErf(tf.tensor1d(xs)), geluTanh(tf.tensor1d(xs))))).dataSync()[0]);
    expect(d).toBeGreaterThan(1e-4);
  });

  it('relu', () => {
    expect(tf.tidy(() => activation('relu')(tf.tensor1d(xs)).arraySync())).toEqual([0, 0, 0, 0, 0.5, 1, 2, 3]);
  });
});

describe('dropout', () => {
  it('zeros about p of the elements, scales the rest by 1/(1-p), is off in eval', () => {
    const x = tf.ones([100, 100]);
    const ctx = { training: true, dropoutRng: new Rng(1), capture: null };
    const y = tf.tidy(() => dropout(x, 0.1, ctx).dataSync());
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(900);
    expect(zeros).toBeLessThan(1100);
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.9) < 1e-6)).toBe(true);
    expect(dropout(x, 0.1, { training: false, dropoutRng: null, capture: null })).toBe(x);
    expect(dropout(x, 0, { training: true, dropoutRng: null, capture: null })).toBe(x);
    expect(() => dropout(x, 0.1, { training: true, dropoutRng: null, capture: null })).toThrow(
      'dropout: expected a dropoutRng when training with p=0.1, got none',
    );
    tf.dispose(x);
  });
});
