import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertModel } from './bert-model.js';
import { readSafetensors, writeSafetensors, type RawTensor } from './checkpoint/index.js';
import { bertConfig } from './config.js';
import { loadModel, saveModel } from './model-dir.js';
import { WeightsError, stateDict } from './weights.js';

const config = bertConfig({
  vocabSize: 99,
  hiddenSize: 40,
  numAttentionHeads: 5,
  numHiddenLayers: 2,
  intermediateSize: 37,
  maxPositionEmbeddings: 32,
});

const root = mkdtempSync(join(tmpdir(), 'bertkit-encoder-'));

function tensorsEqual(a: Map<string, RawTensor>, b: Map<string, RawTensor>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [k, t] of a) {
    const u = b.get(k)!;
    expect(u.dtype, k).toBe(t.dtype);
    expect(u.shape, k).toEqual(t.shape);
    expect(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength).equals(
      Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
    ), k).toBe(true);
  }
}

describe('loadModel / saveModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('save → load → save gives identical tensors and a valid HF directory', async () => {
    const model = new BertModel(config, { rng: new Rng(1) });
    const head = new Map<string, RawTensor>([
      ['cls.predictions.bias', { dtype: 'F32', shape: [99], data: Float32Array.from({ length: 99 }, (_, i) => i / 7) }],
    ]);
    const dir1 = join(root, 'a');
    await saveModel(dir1, model, { extraTensors: head, config: { architectures: ['BertForMaskedLM'] } });
    const file = readSafetensors(readFileSync(join(dir1, 'model.safetensors')));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.tensors.keys()].filter((k) => !k.startsWith('bert.'))).toEqual(['cls.predictions.bias']);
    expect(file.tensors.get('bert.encoder.layer.1.attention.self.value.weight')!.shape).toEqual([40, 40]);
    const json = JSON.parse(readFileSync(join(dir1, 'config.json'), 'utf8'));
    expect(json).toMatchObject({ architectures: ['BertForMaskedLM'], model_type: 'bert', hidden_size: 40, intermediate_size: 37, vocab_size: 99 });

    const loaded = await loadModel(dir1);
    expect(loaded.report).toEqual({ missing: [], unexpected: [], mismatched: [], unusedByModel: ['cls.predictions.bias'], ignored: [] });
    expect(loaded.config.architectures).toEqual(['BertForMaskedLM']);
    expect(loaded.tensors.get('cls.predictions.bias')!.data).toEqual(head.get('cls.predictions.bias')!.data);
    expect(loaded.tensors.has('encoder.layer.0.output.dense.weight')).toBe(true);
    tensorsEqual(await stateDict(model), await stateDict(loaded.model));

    const dir2 = join(root, 'b');
    await saveModel(dir2, loaded.model, { extraTensors: head });
    tensorsEqual(readSafetensors(readFileSync(join(dir1, 'model.safetensors'))).tensors, readSafetensors(readFileSync(join(dir2, 'model.safetensors'))).tensors);
    expect(JSON.parse(readFileSync(join(dir2, 'config.json'), 'utf8'))).toEqual(json);
    model.dispose();
    loaded.model.dispose();
  });

  it('builds the pooler only when the checkpoint has one; strict mode throws on missing weights', async () => {
    const model = new BertModel(config, { rng: new Rng(2), addPooler: false });
    const dir = join(root, 'nopool');
    await saveModel(dir, model);
    const loaded = await loadModel(dir);
    expect(loaded.model.pooler).toBeNull();
    loaded.model.dispose();
    const withPool = await loadModel(dir, { addPooler: true, rng: new Rng(3) });
    expect(withPool.report.missing).toEqual(['pooler.dense.weight', 'pooler.dense.bias']);
    // missing weights keep the random init (as HF), not zeros
    expect(withPool.model.parameters().get('pooler.dense.weight')!.dataSync().some((x) => x !== 0)).toBe(true);
    withPool.model.dispose();
    await expect(loadModel(dir, { addPooler: true, strict: true })).rejects.toThrow(/missing: pooler.dense.weight, pooler.dense.bias/);
    model.dispose();
  });

  it('throws a WeightsError naming mis-shaped weights, and when no checkpoint file exists', async () => {
    const model = new BertModel(config, { rng: new Rng(4) });
    const dir = join(root, 'bad');
    await saveModel(dir, model);
    const sd = await stateDict(model, { prefix: 'bert.' });
    sd.set('bert.embeddings.word_embeddings.weight', { dtype: 'F32', shape: [98, 40], data: new Float32Array(98 * 40) });
    writeFileSync(join(dir, 'model.safetensors'), writeSafetensors(sd));
    const before = tf.memory().numTensors;
    await expect(loadModel(dir)).rejects.toThrow(WeightsError);
    await expect(loadModel(dir)).rejects.toThrow(/mismatched embeddings.word_embeddings.weight: expected \[99, 40\], got \[98, 40\]/);
    expect(tf.memory().numTensors).toBe(before); // the half-built model was disposed
    const empty = join(root, 'empty');
    await saveModel(empty, model);
    rmSync(join(empty, 'model.safetensors'));
    await expect(loadModel(empty)).rejects.toThrow(/no model.safetensors, model.safetensors.index.json or pytorch_model.bin/);
    model.dispose();
  });

  it('reads sharded checkpoints (model.safetensors.index.json)', async () => {
    const model = new BertModel(config, { rng: new Rng(5) });
    const dir = join(root, 'sharded');
    await saveModel(dir, model);
    const all = await stateDict(model, { prefix: 'bert.' });
    const names = [...all.keys()];
    const shards = [names.slice(0, 10), names.slice(10)];
    const weightMap: Record<string, string> = {};
    shards.forEach((part, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      writeFileSync(join(dir, file), writeSafetensors(new Map(part.map((n) => [n, all.get(n)!]))));
      for (const n of part) weightMap[n] = file;
    });
    rmSync(join(dir, 'model.safetensors'));
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const loaded = await loadModel(dir, { strict: true });
    tensorsEqual(await stateDict(model), await stateDict(loaded.model));
    model.dispose();
    loaded.model.dispose();
  });
});
