// The browser model path without a browser: a BertForPreTraining (and a fine-tuned classifier) exported as HF
// files (model-export.ts), read back as bytes (model-files.ts) and rebuilt by heads' one loader (model-loader.ts)
// gives the same fill-mask (classification) as the original model; the tokenizer files travel verbatim.
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig, readSafetensors, toConfigJson } from '@bertkit/encoder';
import { classify, fillMask, loadBertFromFiles, maskedLmOf } from '@bertkit/heads';
import { BertForPreTraining } from '@bertkit/pretraining';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { exportPretraining, exportTaskModel } from './model-export';
import { modelFilesOf } from './model-files';
import { buildModel } from './model-loader';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '.', '##s'];
const VOCAB_TXT = `${TOKENS.join('\n')}\n`;
const TOKENIZER_CONFIG = '{"do_lower_case": true, "model_max_length": 40}';

function pretrainingModel(seed: number, layers = 2): BertForPreTraining {
  const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 32, numHiddenLayers: layers, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 40 });
  return BertForPreTraining.create(config, { rng: new Rng(seed), objective: 'mlm+nsp' });
}

describe('export → load round trip', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  test('HF files hold bert.* and cls.*; the rebuilt model fills masks as the original', async () => {
    const model = pretrainingModel(7);
    const bytes = await exportPretraining(model, { vocabTxt: VOCAB_TXT, tokenizerConfigJson: TOKENIZER_CONFIG }, 'test');
    expect(JSON.parse(bytes.configJson).architectures).toEqual(['BertForPreTraining']);
    expect(bytes.vocabTxt).toBe(VOCAB_TXT);
    expect(bytes.tokenizerConfigJson).toBe(TOKENIZER_CONFIG);
    expect(bytes.tokenizerJson).toBeUndefined();
    const names = [...readSafetensors(bytes.safetensors).tensors.keys()];
    expect(names).toContain('bert.embeddings.word_embeddings.weight');
    expect(names).toContain('cls.predictions.transform.dense.weight');
    expect(names).toContain('cls.seq_relationship.weight');

    const before = tf.memory().numTensors;
    const loaded = buildModel(modelFilesOf(bytes), 'test');
    expect(loaded.mlm).not.toBeNull();
    expect(loaded.task).toBeNull();
    expect(loaded.report.missing).toEqual([]);
    expect(loaded.tokenizer.modelMaxLength).toBe(40); // from tokenizer_config.json
    const text = 'the cat [MASK] on the mat .';
    const got = await fillMask(maskedLmOf(loaded), loaded.tokenizer, text, { topK: 3 });
    // reference: the original weights (a BertForPreTraining is a {bert, mlm}) through the same fill-mask
    const want = await fillMask(model, loaded.tokenizer, text, { topK: 3 });
    expect(got.map((f) => f.candidates.map((c) => c.token))).toEqual(want.map((f) => f.candidates.map((c) => c.token)));
    expect(got[0].candidates.map((c) => c.token_str)).toEqual(want[0].candidates.map((c) => c.token_str));
    got[0].candidates.forEach((c, i) => expect(c.score).toBeCloseTo(want[0].candidates[i].score, 6));
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('a cased vocabulary without tokenizer_config.json keeps its case (the loader\'s rule)', async () => {
    const model = pretrainingModel(3, 1);
    const cased = TOKENS.map((t) => (t === 'cat' ? 'Cat' : t));
    const loaded = buildModel(modelFilesOf(await exportPretraining(model, { vocabTxt: `${cased.join('\n')}\n` }, 'cased')), 'test');
    expect(loaded.tokenizer.encode('Cat cat').tokens).toEqual(['[CLS]', 'Cat', '[UNK]', '[SEP]']);
    loaded.dispose();
    model.dispose();
  });

  test('a fine-tuned classifier exports with its labels and classifies the same after loading', async () => {
    const base = pretrainingModel(5, 1);
    const files = modelFilesOf(await exportPretraining(base, { vocabTxt: VOCAB_TXT }, 'base'));
    base.dispose();
    const fresh = loadBertFromFiles(files, { kind: 'sequence-classification', labels: ['no', 'yes'], rng: new Rng(1) });
    const bytes = await exportTaskModel(fresh.task!, files, 'fine-tuned');
    const json = JSON.parse(bytes.configJson);
    expect(json.architectures).toEqual(['BertForSequenceClassification']);
    expect(json.id2label).toEqual({ 0: 'no', 1: 'yes' });
    const loaded = buildModel(modelFilesOf(bytes), 'test');
    expect(loaded.task?.kind).toBe('sequence-classification');
    const texts = ['the cat sat', 'on the mat .'];
    const [want, got] = [await classify(fresh.task!, fresh.tokenizer, texts), await classify(loaded.task!, loaded.tokenizer, texts)];
    got.forEach((p, i) => {
      expect(p.label).toBe(want[i].label);
      expect(p.score).toBeCloseTo(want[i].score, 6);
    });
    loaded.dispose();
    fresh.dispose();
  });

  test('a missing [MASK] is an error in words', async () => {
    const model = pretrainingModel(1, 1);
    const loaded = buildModel(modelFilesOf(await exportPretraining(model, { vocabTxt: VOCAB_TXT }, 'test')), 'test');
    await expect(fillMask(maskedLmOf(loaded), loaded.tokenizer, 'the cat sat', { topK: 3 })).rejects.toThrow(/\[MASK\]/);
    loaded.dispose();
    model.dispose();
  });

  test('bytes that are not safetensors are an error naming the file', () => {
    const configJson = JSON.stringify(toConfigJson(bertConfig({ vocabSize: TOKENS.length })));
    expect(() => modelFilesOf({ source: 'dropped', configJson, vocabTxt: VOCAB_TXT, safetensors: new Uint8Array([1, 2, 3]) })).toThrow(/dropped\/model\.safetensors: .*8 bytes/);
  });
});
