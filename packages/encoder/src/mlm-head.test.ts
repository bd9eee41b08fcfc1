import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertModel } from './bert-model.js';
import { bertConfig } from './config.js';
import { MlmHead, maskedTopK, type MlmHeadConfig } from './mlm-head.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const config: MlmHeadConfig = { hiddenSize: 6, vocabSize: 11, layerNormEps: 1e-12, hiddenAct: 'gelu', initializerRange: 0.5 };

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

  it('maskedTopK: the top-k of the vocabulary softmax, or of given target ids under that same softmax', async () => {
    const cfg = bertConfig({ vocabSize: 11, hiddenSize: 6, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 7, maxPositionEmbeddings: 8 });
    const model = new BertModel(cfg, { rng: new Rng(5) });
    const head = new MlmHead(cfg, new Rng(6));
    const inputs = { inputIds: tf.tensor2d([[1, 4, 3, 2]], [1, 4], 'int32') };
    const n = tf.memory().numTensors;
    const all = maskedTopK(model, head, inputs, [2], 11);
    const some = maskedTopK(model, head, inputs, [2], 5, { targets: [9, 0, 7] });
    expect(tf.memory().numTensors).toBe(n + 4);
    const p = new Map<number, number>();
    const [ids, probs] = [await all.indices.data(), await all.values.data()];
    ids.forEach((id, i) => p.set(id, probs[i]));
    expect(some.indices.shape).toEqual([1, 3]); // k capped at the number of targets
    const tIds = Array.from(await some.indices.data());
    expect([...tIds].sort()).toEqual([0, 7, 9]);
    const tProbs = Array.from(await some.values.data());
    tIds.forEach((id, i) => expect(tProbs[i]).toBeCloseTo(p.get(id)!, 6)); // not renormalised
    expect(tProbs).toEqual([...tProbs].sort((a, b) => b - a));
    tf.dispose([all.values, all.indices, some.values, some.indices, inputs.inputIds]);
    model.dispose();
    head.dispose();
  });
});
