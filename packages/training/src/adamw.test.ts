import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AdamW, defaultDecay } from './adamw.js';
import { TrainingConfigError } from './errors.js';

/** torch.optim.AdamW in float64, one parameter, written out from the torch docs' pseudo-code. */
function reference(p0: number[], gradsPerStep: number[][], lrs: number[], wd: number, eps = 1e-6): number[] {
  const p = p0.slice();
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  gradsPerStep.forEach((g, i) => {
    const t = i + 1;
    const lr = lrs[i];
    for (let j = 0; j < p.length; j++) {
      p[j] *= 1 - lr * wd;
      m[j] = 0.9 * m[j] + 0.1 * g[j];
      v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
      const denom = Math.sqrt(v[j]) / Math.sqrt(1 - 0.999 ** t) + eps;
      p[j] -= (lr / (1 - 0.9 ** t)) * (m[j] / denom);
    }
  });
  return p;
}

describe('AdamW', () => {
  it('first step by hand: decay, then a bias-corrected step of size ~lr', () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'adamw-hand-w');
    const opt = new AdamW({ weightDecay: 0.01, eps: 1e-6 });
    const g = tf.tensor1d([0.5, 0.1]);
    opt.step(new Map([['dense.weight', w]]), new Map([['dense.weight', g]]), 0.1);
    // p * (1 - 0.1 * 0.01) - 0.1 * g / (|g| + 1e-6): m_hat = g, sqrt(v_hat) = |g| after one step.
    const want = [1 * 0.999 - (0.1 * 0.5) / (0.5 + 1e-6), -2 * 0.999 - (0.1 * 0.1) / (0.1 + 1e-6)];
    const got = w.dataSync();
    expect(got[0]).toBeCloseTo(want[0], 6);
    expect(got[1]).toBeCloseTo(want[1], 6);
    expect(opt.stepOf('dense.weight')).toBe(1);
    tf.dispose([w, g]);
    opt.dispose();
  });

  it('matches a float64 torch reference over 4 steps with changing lr and gradients; no decay on bias/LayerNorm', () => {
    const names = ['encoder.layer.0.output.dense.weight', 'encoder.layer.0.output.dense.bias', 'embeddings.LayerNorm.weight'];
    const p0 = [0.3, -1.7, 2.5];
    const vars = new Map(names.map((n, i) => [n, tf.variable(tf.tensor1d([p0[i], -p0[i]]), true, `adamw-ref-${i}`)]));
    const opt = new AdamW();
    const gs = [[0.2, -0.05], [-0.4, 0.3], [1e-3, 2.0], [0.0, -0.7]];
    const lrs = [0.01, 0.02, 0.015, 0.005];
    const before = tf.memory().numTensors;
    for (let s = 0; s < gs.length; s++) {
      const grads = new Map(names.map((n, i) => [n, tf.tensor1d(gs[s].map((x) => x * (i + 1)))]));
      opt.step(vars, grads, lrs[s]);
      tf.dispose([...grads.values()]);
    }
    expect(tf.memory().numTensors).toBe(before + 6); // m and v per parameter, nothing else
    names.forEach((n, i) => {
      const want = reference([p0[i], -p0[i]], gs.map((g) => g.map((x) => x * (i + 1))), lrs, defaultDecay(n) ? 0.01 : 0);
      const got = vars.get(n)!.dataSync();
      expect(got[0]).toBeCloseTo(want[0], 5);
      expect(got[1]).toBeCloseTo(want[1], 5);
    });
    expect(defaultDecay(names[0])).toBe(true);
    expect(defaultDecay(names[1])).toBe(false);
    expect(defaultDecay(names[2])).toBe(false);
    tf.dispose([...vars.values()]);
    opt.dispose();
  });

  it('state round-trips: a restored optimizer continues bit-identically', async () => {
    const a = tf.variable(tf.tensor2d([[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]]), true, 'adamw-rt-a');
    const optA = new AdamW();
    const grad = (k: number) => tf.tensor2d([[k, -k, 0.5], [0.25 * k, 1, -2]]);
    for (let k = 1; k <= 2; k++) {
      const g = grad(k);
      optA.step(new Map([['w', a]]), new Map([['w', g]]), 0.01);
      g.dispose();
    }
    const saved = await optA.getState();
    expect(saved.params.w.step).toBe(2);
    // Through plain arrays, as a checkpoint file would carry it.
    const copy = (t: { shape: number[]; data: Float32Array }) => ({ shape: [...t.shape], data: Float32Array.from([...t.data]) });
    const optB = new AdamW();
    optB.setState({ params: { w: { step: 2, m: copy(saved.params.w.m), v: copy(saved.params.w.v) } } });
    const c = tf.variable(tf.clone(a), true, 'adamw-rt-c');
    const g = grad(3);
    optA.step(new Map([['w', a]]), new Map([['w', g]]), 0.01);
    optB.step(new Map([['w', c]]), new Map([['w', g]]), 0.01);
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(optB.stepOf('w')).toBe(3);
    tf.dispose([a, c, g]);
    optA.dispose();
    optB.dispose();
  });

  it('no tensor leaks across steps', () => {
    const w = tf.variable(tf.ones([3, 5]), true, 'adamw-leak-w');
    const opt = new AdamW();
    const g = tf.fill([3, 5], 0.3);
    opt.step(new Map([['w', w]]), new Map([['w', g]]), 1e-3);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) opt.step(new Map([['w', w]]), new Map([['w', g]]), 1e-3);
    expect(tf.memory().numTensors).toBe(n);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(n - 2);
    tf.dispose([w, g]);
  });

  it('rejects bad config, unknown names and wrong shapes with typed errors', () => {
    expect(() => new AdamW({ beta1: 1 })).toThrow(/beta1: expected a number in \[0, 1\), got 1/);
    expect(() => new AdamW({ eps: -1 })).toThrow(TrainingConfigError);
    const w = tf.variable(tf.zeros([2]), true, 'adamw-bad-w');
    const opt = new AdamW();
    const g = tf.zeros([3]);
    expect(() => opt.step(new Map([['w', w]]), new Map([['x', g]]), 0.1)).toThrow(/"x" has no parameter/);
    expect(() => opt.step(new Map([['w', w]]), new Map([['w', g]]), 0.1)).toThrow(/expected shape \[2\], got \[3\]/);
    expect(() => opt.step(new Map([['w', w]]), new Map(), Number.NaN)).toThrow(/lr: expected/);
    expect(() => opt.setState({ params: { w: { step: 1, m: { shape: [2], data: new Float32Array(3) }, v: { shape: [2], data: new Float32Array(2) } } } })).toThrow(/expected 2 values for shape \[2\], got 3/);
    tf.dispose([w, g]);
    opt.dispose();
  });
});
