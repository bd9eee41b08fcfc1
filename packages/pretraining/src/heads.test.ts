import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MlmHead, NspHead, type HeadsConfig } from './heads.js';
import { accuracy, crossEntropy } from './losses.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const config: HeadsConfig = { hiddenSize: 6, vocabSize: 11, layerNormEps: 1e-12, hiddenAct: 'gelu', initializerRange: 0.5 };

describe('MlmHead', () => {
  it('computes dense → GELU → LayerNorm → x·Eᵀ + bias, checked against a plain-JS computation', () => {
    const head = new MlmHead(config, new Rng(3));
    head.outputBias.assign(tf.mul(tf.range(0, 11, 1, 'float32'), 0.01));
    const rng = new Rng(9);
    const hidden = tf.tensor2d(Array.from({ length: 2 * 6 }, () => rng.normal()), [2, 6]);
    const emb = tf.tensor2d(Array.from({ length: 11 * 6 }, () => rng.normal()), [11, 6]);
    const n = tf.memory().numTensors;
    const logits = tf.tidy(() => head.apply(hidden, emb));
    expect(tf.memory().numTensors).toBe(n + 1);
    expect(logits.shape).toEqual([2, 11]);
    // reference in float64
    const W = head.dense.kernel.arraySync() as number[][];
    const x = hidden.arraySync() as number[][];
    const E = emb.arraySync() as number[][];
    const erf = (z: number) => {
      // Maclaurin series of erf (exact enough for |z| < 4 in float64)
      let sum = z;
      let term = z;
      for (let k = 1; k < 60; k++) {
        term *= (-z * z) / k;
        sum += term / (2 * k + 1);
      }
      return (2 / Math.sqrt(Math.PI)) * sum;
    };
    const got = logits.arraySync() as number[][];
    for (let r = 0; r < 2; r++) {
      const d = W[0].map((_, j) => x[r].reduce((s, xi, i) => s + xi * W[i][j], 0));
      const g = d.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
      const mean = g.reduce((a, b) => a + b) / 6;
      const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / 6;
      const ln = g.map((v) => (v - mean) / Math.sqrt(variance + 1e-12));
      for (let v = 0; v < 11; v++) {
        const want = ln.reduce((s, hv, j) => s + hv * E[v][j], 0) + 0.01 * v;
        expect(got[r][v]).toBeCloseTo(want, 4);
      }
    }
    tf.dispose([hidden, emb, logits]);
    head.dispose();
  });

  it('names its parameters as HF does and marks the dense kernel transposed', () => {
    const head = new MlmHead(config, null);
    expect(head.params().map((p) => [p.name, p.transposed])).toEqual([
      ['cls.predictions.bias', false],
      ['cls.predictions.transform.dense.weight', true],
      ['cls.predictions.transform.dense.bias', false],
      ['cls.predictions.transform.LayerNorm.weight', false],
      ['cls.predictions.transform.LayerNorm.bias', false],
    ]);
    expect(head.outputBias.shape).toEqual([11]);
    expect(Array.from(head.dense.kernel.dataSync()).every((v) => v === 0)).toBe(true); // rng null: zeros
    head.dispose();
  });
});

describe('NspHead', () => {
  it('is a dense H→2 with HF names', () => {
    const head = new NspHead(config, new Rng(1));
    const pooled = tf.ones([3, 6]) as tf.Tensor2D;
    const out = head.apply(pooled);
    expect(out.shape).toEqual([3, 2]);
    const k = head.dense.kernel.arraySync() as number[][];
    expect(out.dataSync()[1]).toBeCloseTo(k.reduce((s, row) => s + row[1], 0), 5);
    expect(head.params().map((p) => p.name)).toEqual(['cls.seq_relationship.weight', 'cls.seq_relationship.bias']);
    tf.dispose([pooled, out]);
    head.dispose();
  });
});

describe('losses', () => {
  it('cross-entropy is the mean NLL of log-softmax; accuracy counts arg-max hits', () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 1, 3]]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = ((lse([2, 0, 0]) - 2) + (lse([0, 1, 3]) - 1)) / 2;
    expect(crossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(want, 6);
    expect(accuracy(logits, labels).dataSync()[0]).toBe(0.5);
    // fused gradient: (softmax(x) - onehot) / N
    const g = tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor2D, labels))(logits).arraySync() as number[][];
    const sm = (r: number[]) => r.map((v) => Math.exp(v - lse(r)));
    [[2, 0, 0], [0, 1, 3]].forEach((r, i) => sm(r).forEach((p, j) => expect(g[i][j]).toBeCloseTo((p - (j === [0, 1][i] ? 1 : 0)) / 2, 6)));
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    expect(crossEntropy(empty, tf.tensor1d([], 'int32')).dataSync()[0]).toBe(0);
  });
});
