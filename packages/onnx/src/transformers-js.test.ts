// An exported folder loads in transformers.js (@huggingface/transformers, local files only) and its
// `feature-extraction` and `fill-mask` pipelines agree with bertkit's tfjs forward within 1e-4. The fixture
// models have a 99-token vocabulary and no tokenizer: the test writes a vocab.txt of that size, so the export
// also exercises tokenizer.json generation.
import '@tensorflow/tfjs-backend-cpu';
import { activation, BertModel, toFloat32, type RawTensor } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import { fixturePath, fixturesMissing, sharedMissing, sharedPath } from '@bertkit/test-utils';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { env, pipeline } from '@huggingface/transformers';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnxDir } from './export-onnx.js';

const TOLERANCE = 1e-4;
const skip = fixturesMissing('encoder');
// ids 0..4 are the special tokens (the fixtures use [PAD] 0, [CLS] 1, [SEP] 2); `w5` … `w98` fill the rest.
const VOCAB = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...Array.from({ length: 94 }, (_, i) => `w${i + 5}`)];

let root = '';

/** A copy of a fixture model with a vocab.txt, exported to `<root>/<name>-onnx`; returns the folder name. */
async function exportWithVocab(fixture: string, name: string): Promise<string> {
  const src = join(root, name);
  await rm(src, { recursive: true, force: true });
  await mkdir(src, { recursive: true });
  for (const f of ['config.json', 'model.safetensors']) await copyFile(join(fixturePath('encoder', fixture), f), join(src, f));
  await writeFile(join(src, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
  const out = join(root, `${name}-onnx`);
  const result = await exportOnnxDir(src, out);
  expect(result.files.sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
  return basename(out);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** HF BertLMPredictionHead on tfjs, from the checkpoint's `cls.predictions.*` and the tied word embeddings. */
function mlmLogits(model: BertModel, tensors: Map<string, RawTensor>, sequence: tf.Tensor2D): tf.Tensor2D {
  const c = model.config;
  const get = (n: string) => tf.tensor(toFloat32(tensors.get(n)!), tensors.get(n)!.shape);
  return tf.tidy(() => {
    const dense = tf.add(tf.matMul(sequence, get('cls.predictions.transform.dense.weight'), false, true), get('cls.predictions.transform.dense.bias'));
    const act = activation(c.hiddenAct)(dense); // [T, H]
    const { mean, variance } = tf.moments(act, -1, true);
    const norm = tf.div(tf.sub(act, mean), tf.sqrt(tf.add(variance, c.layerNormEps)));
    const t = tf.add(tf.mul(norm, get('cls.predictions.transform.LayerNorm.weight')), get('cls.predictions.transform.LayerNorm.bias'));
    const words = model.parameters().get('embeddings.word_embeddings.weight')!; // [V, H]
    return tf.add(tf.matMul(t, words, false, true), get('cls.predictions.bias')) as tf.Tensor2D; // [T, V]
  });
}

describe.skipIf(skip !== null)(`transformers.js loads the exported folder ${skip ?? ''}`, () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'bertkit-onnx-'));
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.localModelPath = root;
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('feature-extraction equals BertModel.forward', async () => {
    const name = await exportWithVocab('models/odd/base', 'odd-base');
    expect(existsSync(join(root, name, 'onnx', 'model.onnx'))).toBe(true);
    const extractor = await pipeline('feature-extraction', name, { dtype: 'fp32' });
    const output = await extractor('w15 w79 w50 w59 w60', { pooling: 'none' });
    await extractor.dispose();
    const ids = [1, 15, 79, 50, 59, 60, 2]; // [CLS] … [SEP]
    expect(output.dims).toEqual([1, ids.length, 40]);

    const { model } = await loadModel(fixturePath('encoder', 'models/odd/base'));
    const inputIds = tf.tensor2d([ids], undefined, 'int32');
    const y = model.forward({ inputIds });
    expect(maxAbsDiff(output.data as Float32Array, await y.sequenceOutput.data())).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([inputIds, y.sequenceOutput, y.pooledOutput ?? []].flat());
    model.dispose();
  });

  it('fill-mask equals the tfjs masked-LM head', async () => {
    const name = await exportWithVocab('models/odd/mlm', 'odd-mlm');
    const tokenizerJson = JSON.parse(await readFile(join(root, name, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
    expect(Object.keys(tokenizerJson.model.vocab).length).toBe(VOCAB.length);
    const unmasker = await pipeline('fill-mask', name, { dtype: 'fp32' });
    const top = (await unmasker('w15 w79 [MASK] w59', { top_k: 5 })) as Array<{ score: number; token: number; token_str: string }>;
    await unmasker.dispose();

    const { model, tensors } = await loadModel(fixturePath('encoder', 'models/odd/mlm'));
    const inputIds = tf.tensor2d([[1, 15, 79, 3, 59, 2]], undefined, 'int32');
    const y = model.forward({ inputIds });
    const probs = tf.tidy(() => {
      const logits = mlmLogits(model, tensors, tf.squeeze(y.sequenceOutput, [0]) as tf.Tensor2D); // [T, V]
      return tf.softmax(tf.gather(logits, [3])); // [1, V] at the [MASK]
    });
    const p = (await probs.data()) as Float32Array;
    const expected = [...p].map((score, token) => ({ score, token })).sort((a, b) => b.score - a.score).slice(0, 5);
    expect(top.map((t) => t.token)).toEqual(expected.map((e) => e.token));
    expect(top.map((t) => t.token_str)).toEqual(expected.map((e) => VOCAB[e.token]));
    expect(maxAbsDiff(top.map((t) => t.score), expected.map((e) => e.score))).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([inputIds, probs, y.sequenceOutput, y.pooledOutput ?? []].flat());
    model.dispose();
  });

  // The tiny fixture has the 30522-token uncased vocabulary: exported with bert-base-uncased's tokenizer files
  // (copied as they are), transformers.js tokenizes real text and fills the mask from the pre-training head.
  const tokDir = 'models/bert-base-uncased-tokenizer';
  it.skipIf(sharedMissing(tokDir) !== null)(`fill-mask with copied bert-base-uncased tokenizer files ${sharedMissing(tokDir) ?? ''}`, async () => {
    const out = join(root, 'tiny-onnx');
    const result = await exportOnnxDir(fixturePath('encoder', 'models/tiny/pretraining'), out, { tokenizerDir: sharedPath(tokDir) });
    expect(result.outputs.map((o) => o.name)).toEqual(['logits', 'seq_relationship_logits']);
    expect(result.files.sort()).toEqual(['config.json', 'onnx/model.onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
    const text = 'The capital of France is [MASK].';
    const unmasker = await pipeline('fill-mask', 'tiny-onnx', { dtype: 'fp32' });
    const top = (await unmasker(text, { top_k: 3 })) as Array<{ score: number; token: number }>;
    await unmasker.dispose();

    const ids = (await loadTokenizer(sharedPath(tokDir))).encode(text).ids;
    const maskAt = ids.indexOf(103); // [MASK] in the uncased vocabulary
    expect(maskAt).toBeGreaterThan(0);
    const { model, tensors } = await loadModel(fixturePath('encoder', 'models/tiny/pretraining'));
    const inputIds = tf.tensor2d([ids], undefined, 'int32');
    const y = model.forward({ inputIds });
    const probs = tf.tidy(() => tf.softmax(tf.gather(mlmLogits(model, tensors, tf.squeeze(y.sequenceOutput, [0]) as tf.Tensor2D), [maskAt])));
    const p = (await probs.data()) as Float32Array;
    const expected = [...p].map((score, token) => ({ score, token })).sort((a, b) => b.score - a.score).slice(0, 3);
    expect(top.map((t) => t.token)).toEqual(expected.map((e) => e.token));
    expect(maxAbsDiff(top.map((t) => t.score), expected.map((e) => e.score))).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([inputIds, probs, y.sequenceOutput, y.pooledOutput ?? []].flat());
    model.dispose();
  });
});
