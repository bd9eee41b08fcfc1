import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertModel } from './bert-model.js';
import { readSafetensors, writeSafetensors, type RawTensor } from './checkpoint/index.js';
import { bertConfig } from './config.js';
import { WeightsError, assertCleanLoad, loadState, normalizeWeightName, normalizeWeights, stateDict } from './weights.js';

const config = bertConfig({
  vocabSize: 99,
  hiddenSize: 32,
  numAttentionHeads: 4,
  numHiddenLayers: 2,
  intermediateSize: 37,
  maxPositionEmbeddings: 16,
});

function sameValues(a: BertModel, b: BertModel): boolean {
  const pb = b.parameters();
  return [...a.parameters()].every(([n, v]) => {
    const w = pb.get(n);
    return w !== undefined && tf.util.arraysEqual(v.dataSync(), w.dataSync()) && tf.util.arraysEqual(v.shape, w.shape);
  });
}

describe('stateDict / loadState', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('writes HF names and layouts: nn.Linear weights [out, in], tables [rows, H]', async () => {
    const model = new BertModel(config, { rng: new Rng(1) });
    const sd = await stateDict(model);
    expect(sd.get('encoder.layer.0.intermediate.dense.weight')!.shape).toEqual([37, 32]);
    expect(sd.get('encoder.layer.0.output.dense.weight')!.shape).toEqual([32, 37]);
    expect(sd.get('embeddings.word_embeddings.weight')!.shape).toEqual([99, 32]);
    expect(sd.get('pooler.dense.bias')!.shape).toEqual([32]);
    // value check of the transpose: HF weight[o][i] == kernel[i][o]
    const kernel = model.parameters().get('encoder.layer.1.intermediate.dense.weight')!.arraySync() as number[][];
    const w = sd.get('encoder.layer.1.intermediate.dense.weight')!.data as Float32Array;
    expect(w[5 * 32 + 7]).toBe(kernel[7][5]);
    expect([...(await stateDict(model, { prefix: 'bert.' })).keys()].every((k) => k.startsWith('bert.'))).toBe(true);
    model.dispose();
  });

  it('load(stateDict(m)) reproduces m exactly, through safetensors bytes too', async () => {
    const a = new BertModel(config, { rng: new Rng(2) });
    const b = new BertModel(config, { init: 'zeros' });
    const bytes = writeSafetensors(await stateDict(a));
    const report = loadState(b, readSafetensors(bytes).tensors);
    expect(report).toEqual({ missing: [], unexpected: [], mismatched: [], unusedByModel: [], ignored: [] });
    expect(sameValues(a, b)).toBe(true);
    const ids = tf.tensor2d([[1, 4, 9, 2]], [1, 4], 'int32');
    const [oa, ob] = [a.forward({ inputIds: ids }), b.forward({ inputIds: ids })];
    expect(ob.sequenceOutput.dataSync()).toEqual(oa.sequenceOutput.dataSync());
    tf.dispose([ids, oa.sequenceOutput, ob.sequenceOutput, oa.pooledOutput!, ob.pooledOutput!]);
    a.dispose();
    b.dispose();
  });

  it('accepts the bert. prefix, legacy gamma/beta and a position_ids buffer; leaves head keys to the heads', async () => {
    const a = new BertModel(config, { rng: new Rng(3) });
    const legacy = new Map<string, RawTensor>();
    for (const [k, v] of await stateDict(a, { prefix: 'bert.' })) {
      legacy.set(k.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'), v);
    }
    expect(legacy.has('bert.embeddings.LayerNorm.gamma')).toBe(true);
    legacy.set('bert.embeddings.position_ids', { dtype: 'I64', shape: [1, 16], data: new BigInt64Array(16) });
    legacy.set('cls.predictions.bias', { dtype: 'F32', shape: [99], data: new Float32Array(99) });
    legacy.set('cls.predictions.transform.LayerNorm.gamma', { dtype: 'F32', shape: [32], data: new Float32Array(32) });
    const b = new BertModel(config, { init: 'zeros' });
    const report = loadState(b, legacy);
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.mismatched).toEqual([]);
    expect(report.ignored).toEqual(['bert.embeddings.position_ids']);
    expect(report.unusedByModel).toEqual(['cls.predictions.bias', 'cls.predictions.transform.LayerNorm.weight']);
    expect(sameValues(a, b)).toBe(true);
    expect(normalizeWeights(legacy).tensors.has('cls.predictions.transform.LayerNorm.weight')).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('reports missing, unexpected and mismatched weights by name, like HF', async () => {
    const a = new BertModel(config, { rng: new Rng(4) });
    const sd = await stateDict(a);
    sd.delete('encoder.layer.1.output.LayerNorm.bias');
    sd.set('encoder.layer.2.output.dense.bias', { dtype: 'F32', shape: [32], data: new Float32Array(32) });
    sd.set('encoder.layer.0.attention.self.query.weight', { dtype: 'F32', shape: [32, 31], data: new Float32Array(32 * 31) });
    const b = new BertModel(config, { init: 'zeros' });
    const report = loadState(b, sd);
    expect(report.missing).toEqual(['encoder.layer.1.output.LayerNorm.bias']);
    expect(report.unexpected).toEqual(['encoder.layer.2.output.dense.bias']);
    expect(report.mismatched).toEqual([{ name: 'encoder.layer.0.attention.self.query.weight', expected: [32, 32], actual: [32, 31] }]);
    // the mismatched weight was not loaded
    expect(b.parameters().get('encoder.layer.0.attention.self.query.weight')!.dataSync().every((x) => x === 0)).toBe(true);
    expect(() => assertCleanLoad(report, 'ckpt')).toThrow(WeightsError);
    expect(() => assertCleanLoad(report, 'ckpt')).toThrow(
      /ckpt does not fit the model: missing: encoder.layer.1.output.LayerNorm.bias; unexpected: .*; mismatched encoder.layer.0.attention.self.query.weight: expected \[32, 32\], got \[32, 31\]/,
    );
    a.dispose();
    b.dispose();
  });

  it('a model without pooler leaves pooler weights unused rather than unexpected', async () => {
    const a = new BertModel(config, { rng: new Rng(5) });
    const b = new BertModel(config, { init: 'zeros', addPooler: false });
    const report = loadState(b, await stateDict(a));
    expect(report.unexpected).toEqual([]);
    expect(report.unusedByModel).toEqual(['pooler.dense.weight', 'pooler.dense.bias']);
    a.dispose();
    b.dispose();
  });

  it('normalises names as HF does and rejects two keys for one weight', async () => {
    expect(normalizeWeightName('bert.encoder.layer.0.output.LayerNorm.gamma')).toBe('encoder.layer.0.output.LayerNorm.weight');
    expect(normalizeWeightName('embeddings.LayerNorm.beta')).toBe('embeddings.LayerNorm.bias');
    expect(normalizeWeightName('classifier.weight')).toBe('classifier.weight');
    const t: RawTensor = { dtype: 'F32', shape: [1], data: new Float32Array(1) };
    expect(() => normalizeWeights(new Map([['bert.pooler.dense.bias', t], ['pooler.dense.bias', t]]))).toThrow(
      /both name pooler.dense.bias/,
    );
  });

  it('widens F16 / BF16 checkpoints to float32 on load', async () => {
    const a = new BertModel(config, { rng: new Rng(6) });
    const sd = await stateDict(a);
    const name = 'embeddings.LayerNorm.weight';
    // bf16 of 1.5 is 0x3fc0; of -2 is 0xc000
    const bf = new Uint16Array(32).fill(0x3fc0);
    bf[3] = 0xc000;
    sd.set(name, { dtype: 'BF16', shape: [32], data: bf });
    const b = new BertModel(config, { init: 'zeros' });
    expect(loadState(b, sd).mismatched).toEqual([]);
    const v = b.parameters().get(name)!.dataSync();
    expect(v[0]).toBe(1.5);
    expect(v[3]).toBe(-2);
    a.dispose();
    b.dispose();
  });
});
