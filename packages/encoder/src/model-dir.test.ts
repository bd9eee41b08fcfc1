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
import { CheckpointError } from './checkpoint/index.js';
import { ConfigError } from './config.js';
import { checkModelDir, loadModel, readCheckpointDir, saveModel } from './model-dir.js';
import { ModelDirError } from './model-files.js';
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
    await expect(loadModel(empty)).rejects.toThrow(ModelDirError);
    await expect(loadModel(empty)).rejects.toThrow(
      `${empty}: expected a checkpoint (model.safetensors, model.safetensors.index.json or pytorch_model.bin), got only config.json`,
    );
    model.dispose();
  });

  it('names the directory or file, the field, the expected and the actual value when a directory is wrong', async () => {
    const model = new BertModel(config, { rng: new Rng(6) });
    const dir = join(root, 'errors');
    await saveModel(dir, model);
    const cfg = join(dir, 'config.json');
    const good = readFileSync(cfg, 'utf8');

    const missing = join(root, 'no-such-model');
    await expect(loadModel(missing)).rejects.toThrow(ModelDirError);
    await expect(loadModel(missing)).rejects.toThrow(`${missing}: expected a model directory (config.json + model.safetensors, model.safetensors.index.json or pytorch_model.bin), got no such directory`);
    await expect(checkModelDir(cfg)).rejects.toThrow(`${cfg}: expected a model directory`);
    await expect(checkModelDir(cfg)).rejects.toThrow(/got a file$/);
    await expect(readCheckpointDir(missing)).rejects.toThrow(`${missing}: expected a directory holding model.safetensors`);
    expect(await checkModelDir(dir)).toEqual({ dir, config: cfg, format: 'safetensors', weights: [join(dir, 'model.safetensors')] });

    writeFileSync(cfg, good.slice(0, 20)); // truncated
    const err = await loadModel(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelDirError);
    expect((err as ModelDirError).path).toBe(cfg);
    expect((err as ModelDirError).expected).toBe('valid JSON');
    let parseMessage = '';
    try {
      JSON.parse(good.slice(0, 20));
    } catch (e) {
      parseMessage = (e as Error).message;
    }
    expect((err as Error).message).toBe(`${cfg}: expected valid JSON, got ${parseMessage}`);

    writeFileSync(cfg, JSON.stringify({ ...JSON.parse(good), hidden_size: 42 }));
    const bad = await loadModel(dir).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad).toMatchObject({ file: cfg, key: 'hidden_size', field: 'hiddenSize', actual: 42 });
    expect((bad as Error).message).toBe(`${cfg}: "hidden_size" → BertConfig.hiddenSize: expected a multiple of numAttentionHeads (5), got 42`);
    writeFileSync(cfg, JSON.stringify({ ...JSON.parse(good), id2label: { 0: 'a', 5: 'b' } }));
    await expect(loadModel(dir)).rejects.toThrow(`${cfg}: "id2label" → BertConfig.id2label: expected an object of class index in [0, 2) → label name, got {"5":"b"}`);
    rmSync(cfg);
    await expect(loadModel(dir)).rejects.toThrow(`${cfg}: expected a BERT config.json, got no such file`);
    writeFileSync(cfg, good);

    const weights = join(dir, 'model.safetensors');
    const bytes = readFileSync(weights);
    writeFileSync(weights, bytes.subarray(0, 4));
    await expect(loadModel(dir)).rejects.toThrow(CheckpointError);
    await expect(loadModel(dir)).rejects.toThrow(`${weights}: safetensors: need at least 8 bytes for the header length, got 4`);
    rmSync(weights);

    const index = join(dir, 'model.safetensors.index.json');
    writeFileSync(index, JSON.stringify({ metadata: {} }));
    await expect(loadModel(dir)).rejects.toThrow(`${index} weight_map: expected an object of tensor name → shard file name, got no such key`);
    writeFileSync(index, JSON.stringify({ weight_map: { 'bert.pooler.dense.weight': 'model-00001-of-00002.safetensors' } }));
    await expect(loadModel(dir)).rejects.toThrow(
      `${join(dir, 'model-00001-of-00002.safetensors')}: expected a shard listed in ${index}, got no such file`,
    );
    writeFileSync(index, '{"weight_map": ');
    await expect(loadModel(dir)).rejects.toThrow(`${index}: expected valid JSON, got`);
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
