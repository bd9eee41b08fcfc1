import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { collateInstances } from './data-batch.js';
import { evaluateMlm } from './evaluate-mlm.js';
import { BertForPreTraining } from './pretraining-model.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const config = bertConfig({ vocabSize: 30, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 24 });
const instance = (ids: number[], positions: number[], labels: number[]) => ({
  inputIds: Int32Array.from(ids), segmentBStart: ids.length, nspLabel: -1, maskedPositions: Int32Array.from(positions), maskedLabels: Int32Array.from(labels),
});
const instances = [
  instance([1, 7, 3, 9, 2], [1, 3], [8, 10]),
  instance([1, 3, 11, 2], [2], [12]),
  instance([1, 4, 5, 6, 7, 2], [1, 2, 4], [14, 5, 20]),
];

describe('evaluateMlm', () => {
  it('weights by predictions: batches of 2 (the last one short) give the whole-batch loss and accuracy', async () => {
    const model = BertForPreTraining.create(config, { rng: new Rng(5), objective: 'mlm' });
    const whole = model.loss(collateInstances(instances, 8, 3));
    const [loss, acc] = [(await whole.metrics.mlmLoss.data())[0], (await whole.metrics.mlmAccuracy.data())[0]];
    tf.dispose([whole.loss, ...Object.values(whole.metrics)]);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await evaluateMlm(model, instances, { batchSize: 2, maxSeqLength: 8, maxPredictions: 3, padId: 0, onBatch: (i, n) => seen.push(i, n) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.predictions).toBe(6);
    expect(r.instances).toBe(3);
    expect(r.loss).toBeCloseTo(loss, 5);
    expect(r.accuracy).toBeCloseTo(acc, 6);
    expect(seen).toEqual([1, 2, 2, 2]);
    model.dispose();
  });
});
