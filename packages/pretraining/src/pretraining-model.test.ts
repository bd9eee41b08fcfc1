import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { collateInstances } from './data-batch.js';
import { PretrainingModelError, parseObjective } from './objectives.js';
import { BertForPreTraining } from './pretraining-model.js';
import { batchTokens, flatPredictions, fromHfInputs } from './pretraining-model-batch.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const config = bertConfig({ vocabSize: 99, hiddenSize: 40, numHiddenLayers: 1, numAttentionHeads: 5, intermediateSize: 37 });

const instances = [
  { inputIds: Int32Array.from([1, 7, 3, 2, 9, 3, 2]), segmentBStart: 4, nspLabel: 0, maskedPositions: Int32Array.from([2, 5]), maskedLabels: Int32Array.from([8, 10]) },
  { inputIds: Int32Array.from([1, 3, 2, 11, 2]), segmentBStart: 3, nspLabel: 1, maskedPositions: Int32Array.from([1]), maskedLabels: Int32Array.from([12]) },
];

describe('batch adapters', () => {
  it('flatPredictions keeps weighted predictions as b·T + t; batchTokens counts real tokens', () => {
    const b = collateInstances(instances, 8, 3);
    const { positions, labels } = flatPredictions(b);
    expect(Array.from(positions)).toEqual([2, 5, 8 + 1]);
    expect(Array.from(labels)).toEqual([8, 10, 12]);
    expect(batchTokens(b)).toBe(12);
  });

  it('fromHfInputs turns -100 labels into padded predictions and -100 NSP into "no label"', () => {
    const b = fromHfInputs({
      input_ids: [[1, 5, 2], [1, 6, 2]],
      mlm_labels: [[-100, 7, -100], [-100, -100, -100]],
    });
    expect(b.maxPredictions).toBe(1);
    expect(Array.from(b.maskedPositions)).toEqual([1, 0]);
    expect(Array.from(b.maskedWeights)).toEqual([1, 0]);
    expect(Array.from(b.attentionMask)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(b.nspLabels)).toEqual([-100, -100]);
    expect(() => fromHfInputs({ input_ids: [[1, 2], [1]] })).toThrow(/input_ids\[1\]: expected 2 columns, got 1/);
  });
});

describe('BertForPreTraining', () => {
  it('names parameters as HF named_parameters() (no separate decoder weight) and frees every tensor', () => {
    const n0 = tf.memory().numTensors;
    const m = BertForPreTraining.create(config, { rng: new Rng(1) });
    const names = [...m.parameters().keys()];
    expect(names[0]).toBe('bert.embeddings.word_embeddings.weight');
    expect(names.filter((n) => n.startsWith('cls.'))).toEqual([
      'cls.predictions.bias',
      'cls.predictions.transform.dense.weight',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.LayerNorm.weight',
      'cls.predictions.transform.LayerNorm.bias',
      'cls.seq_relationship.weight',
      'cls.seq_relationship.bias',
    ]);
    expect(names).toContain('bert.pooler.dense.weight');
    expect(m.isTransposed('bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(m.isTransposed('cls.predictions.bias')).toBe(false);
    expect(m.architecture()).toBe('BertForPreTraining');
    m.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('loss = MLM CE + NSP CE with accuracies; no tensor survives but the returned ones', () => {
    const m = BertForPreTraining.create(config, { rng: new Rng(2) });
    const batch = collateInstances(instances, 8, 3);
    const n0 = tf.memory().numTensors;
    const out = m.loss(batch);
    const [loss, mlm, nsp] = [out.loss, out.metrics.mlmLoss, out.metrics.nspLoss!].map((t) => t.dataSync()[0]);
    expect(loss).toBeCloseTo(mlm + nsp, 5);
    expect(mlm).toBeGreaterThan(Math.log(99) - 2); // random init: near uniform over 99 ids
    expect(nsp).toBeGreaterThan(0);
    tf.dispose([out.loss, ...Object.values(out.metrics)]);
    expect(tf.memory().numTensors).toBe(n0);
    const logits = m.forward(batch);
    expect(logits.mlmLogits.shape).toEqual([3, 99]); // only the 3 real predictions
    expect(logits.nspLogits!.shape).toEqual([2, 2]);
    tf.dispose([logits.mlmLogits, logits.nspLogits!]);
    m.dispose();
  });

  it('predictMasked returns the top-k ids and probabilities per prediction, without leaks', async () => {
    const m = BertForPreTraining.create(config, { rng: new Rng(7) });
    const batch = collateInstances(instances, 8, 3);
    const n0 = tf.memory().numTensors;
    const preds = await m.predictMasked(batch, 4);
    expect(tf.memory().numTensors).toBe(n0);
    expect(preds.map((p) => p.position)).toEqual([2, 5, 9]);
    for (const p of preds) {
      expect(p.ids).toHaveLength(4);
      expect(p.probs[0]).toBeGreaterThanOrEqual(p.probs[3]);
    }
    const all = m.forwardAll(batch);
    const row0 = (all.mlmLogits.arraySync() as unknown as number[][][])[0][2];
    expect(preds[0].ids[0]).toBe(row0.indexOf(Math.max(...row0)));
    tf.dispose([all.mlmLogits, all.nspLogits!]);
    m.dispose();
  });

  it('the mlm objective has no NSP head and no pooler parameters', () => {
    const m = BertForPreTraining.create(config, { rng: new Rng(3), objective: 'mlm' });
    expect(m.nsp).toBeNull();
    expect([...m.parameters().keys()].some((k) => k.includes('pooler') || k.includes('seq_relationship'))).toBe(false);
    const out = m.loss(collateInstances(instances, 8, 3));
    expect(out.metrics.nspLoss).toBeUndefined();
    tf.dispose([out.loss, ...Object.values(out.metrics)]);
    expect(m.architecture()).toBe('BertForMaskedLM');
    m.dispose();
    expect(() => parseObjective('nsp')).toThrow(PretrainingModelError);
  });

  it('ltr (Table 5 "LTR & No NSP"): causal attention, so a logit at position t ignores tokens after t', () => {
    const m = BertForPreTraining.create(config, { rng: new Rng(3), objective: 'ltr' });
    expect(m.nsp).toBeNull();
    const a = collateInstances(instances, 8, 3);
    const b = { ...a, inputIds: Int32Array.from(a.inputIds) };
    b.inputIds[5] = 40; // change row 0 at t = 5 and t = 6
    b.inputIds[6] = 41;
    const fa = m.forwardAll(a), fb = m.forwardAll(b);
    const la = fa.mlmLogits.arraySync() as unknown as number[][][];
    const lb = fb.mlmLogits.arraySync() as unknown as number[][][];
    tf.dispose([fa.mlmLogits, fb.mlmLogits]);
    for (let t = 0; t < 5; t++) for (let v = 0; v < 99; v++) expect(Math.abs(la[0][t][v] - lb[0][t][v])).toBeLessThan(1e-5);
    expect(Math.max(...la[0][5].map((x, v) => Math.abs(x - lb[0][5][v])))).toBeGreaterThan(1e-4);
    const out = m.loss(a);
    expect(Number.isFinite(out.loss.arraySync())).toBe(true);
    expect(out.metrics.nspLoss).toBeUndefined();
    tf.dispose([out.loss, ...Object.values(out.metrics)]);
    m.dispose();
  });

  it('headTensors are in HF layout and load back through fromCheckpoint', async () => {
    const a = BertForPreTraining.create(config, { rng: new Rng(4) });
    const heads = await a.headTensors();
    expect(heads.get('cls.predictions.transform.dense.weight')!.shape).toEqual([40, 40]);
    expect(heads.get('cls.seq_relationship.weight')!.shape).toEqual([2, 40]); // [out, in]
    const k = a.nsp!.dense.kernel.arraySync() as number[][];
    expect((heads.get('cls.seq_relationship.weight')!.data as Float32Array)[1]).toBe(k[1][0]); // transposed
    const b = BertForPreTraining.create(config, { rng: new Rng(5) });
    const bert = b.bert;
    b.mlm.dispose();
    b.nsp!.dispose();
    const c = BertForPreTraining.fromCheckpoint({ config, model: bert, tensors: heads });
    for (const p of a.headParams()) {
      expect(Array.from(c.parameters().get(p.name)!.dataSync())).toEqual(Array.from(p.variable.dataSync()));
    }
    heads.delete('cls.predictions.bias');
    const d = BertForPreTraining.create(config, { rng: new Rng(6) });
    expect(() => BertForPreTraining.fromCheckpoint({ config, model: d.bert, tensors: heads })).toThrow(
      /tensor "cls.predictions.bias" expected, not found/,
    );
    a.dispose();
    c.dispose();
  });
});
