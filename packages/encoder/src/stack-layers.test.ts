import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BertModel } from './bert-model.js';
import { CheckpointError, type RawTensor } from './checkpoint/index.js';
import { ConfigError, bertConfig } from './config.js';
import { modelFromTensors } from './model-from-tensors.js';
import { stackLayers } from './stack-layers.js';
import { stateDict } from './weights.js';

const config = bertConfig({ vocabSize: 11, hiddenSize: 4, numAttentionHeads: 2, numHiddenLayers: 2, intermediateSize: 6 });
const t = (v: number): RawTensor => ({ dtype: 'F32', shape: [1], data: new Float32Array([v]) });
const checkpoint = new Map<string, RawTensor>([
  ['bert.embeddings.word_embeddings.weight', t(-1)],
  ['bert.encoder.layer.0.output.dense.weight', t(0)],
  ['bert.encoder.layer.0.attention.self.query.bias', t(0.5)],
  ['bert.encoder.layer.1.output.dense.weight', t(1)],
  ['bert.encoder.layer.1.attention.self.query.bias', t(1.5)],
  ['cls.predictions.bias', t(9)],
]);
const value = (m: Map<string, RawTensor>, k: string) => m.get(k)?.data[0];

describe('stackLayers', () => {
  it('builds layer i from layer i mod L, keeps embeddings and heads, and sets num_hidden_layers', () => {
    const r = stackLayers(config, checkpoint, 5);
    expect(r.config).toEqual({ ...config, numHiddenLayers: 5 });
    expect(config.numHiddenLayers).toBe(2); // the input config is not changed
    expect([0, 1, 2, 3, 4].map((i) => value(r.tensors, `bert.encoder.layer.${i}.output.dense.weight`))).toEqual([0, 1, 0, 1, 0]);
    expect([0, 1, 2, 3, 4].map((i) => value(r.tensors, `bert.encoder.layer.${i}.attention.self.query.bias`))).toEqual([0.5, 1.5, 0.5, 1.5, 0.5]);
    expect(value(r.tensors, 'bert.embeddings.word_embeddings.weight')).toBe(-1);
    expect(value(r.tensors, 'cls.predictions.bias')).toBe(9);
    expect(r.tensors.size).toBe(2 + 5 * 2);
  });

  it('keeps the first n layers when n < L, and names without the bert. prefix (a BertModel checkpoint) work too', () => {
    const bare = new Map([...checkpoint].map(([k, v]) => [k.replace(/^bert\./, ''), v]));
    const r = stackLayers(config, bare, 1);
    expect([...r.tensors.keys()].filter((k) => k.includes('layer.')).sort()).toEqual(['encoder.layer.0.attention.self.query.bias', 'encoder.layer.0.output.dense.weight']);
    expect(r.config.numHiddenLayers).toBe(1);
  });

  it('refuses a layer count that is not a positive integer, and a layer the config does not have, naming both', () => {
    expect(() => stackLayers(config, checkpoint, 0)).toThrow(ConfigError);
    expect(() => stackLayers(config, checkpoint, 2.5)).toThrow(/numLayers.*integer ≥ 1.*2\.5/);
    const extra = new Map(checkpoint).set('bert.encoder.layer.2.output.dense.weight', t(2));
    expect(() => stackLayers(config, extra, 4)).toThrow(CheckpointError);
    expect(() => stackLayers(config, extra, 4)).toThrow(/bert\.encoder\.layer\.2\.output\.dense\.weight: expected encoder layers 0…1 \(num_hidden_layers 2\), got layer 2/);
  });
});

describe('modelFromTensors({ numLayers })', () => {
  it('builds the deeper BertModel with the copied weights; errors name the checkpoint', async () => {
    await tf.setBackend('cpu');
    const small = new BertModel(bertConfig({ vocabSize: 13, hiddenSize: 8, numAttentionHeads: 2, numHiddenLayers: 2, intermediateSize: 5 }), { rng: new Rng(1) });
    const raw = await stateDict(small, { prefix: 'bert.' });
    const before = tf.memory().numTensors;
    const loaded = modelFromTensors(small.config, raw, 'small/model.safetensors', { numLayers: 3, strict: true });
    expect(loaded.config.numHiddenLayers).toBe(3);
    const deep = await stateDict(loaded.model, { prefix: 'bert.' });
    for (const [i, j] of [[0, 0], [1, 1], [2, 0]]) {
      for (const part of ['attention.self.key.weight', 'intermediate.dense.bias', 'output.LayerNorm.weight']) {
        expect(Array.from(deep.get(`bert.encoder.layer.${i}.${part}`)!.data as Float32Array), `${i}.${part}`).toEqual(Array.from(raw.get(`bert.encoder.layer.${j}.${part}`)!.data as Float32Array));
      }
    }
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const extra = new Map(raw).set('bert.encoder.layer.7.output.dense.bias', raw.get('bert.encoder.layer.0.output.dense.bias')!);
    expect(() => modelFromTensors(small.config, extra, 'small/model.safetensors', { numLayers: 4 })).toThrow(/^small\/model\.safetensors: bert\.encoder\.layer\.7\.output\.dense\.bias: expected encoder layers 0…1/);
    small.dispose();
  });
});
