// The browser model path without a browser: a BertForPreTraining exported as HF files (model-export.ts) and
// rebuilt by model-loader.ts gives the same fill-mask (heads' awaited fillMaskAsync) as the original model.
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig, readSafetensors } from '@bertkit/encoder';
import { MaskedLmHead, fillMask, fillMaskAsync } from '@bertkit/heads';
import { BertForPreTraining } from '@bertkit/pretraining';
import { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildModel } from './model-loader';
import { exportPretraining } from './model-export';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '.', '##s'];

describe('export → load round trip', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  test('HF files hold bert.* and cls.*; the rebuilt model fills masks as the original', async () => {
    const tok = BertTokenizer.fromTokens(TOKENS);
    const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 40 });
    const model = BertForPreTraining.create(config, { rng: new Rng(7), objective: 'mlm+nsp' });
    const files = await exportPretraining(model, tok, 'test');
    expect(JSON.parse(files.configJson).architectures).toEqual(['BertForPreTraining']);
    expect(files.vocabTxt).toBe(`${TOKENS.join('\n')}\n`);
    const names = [...readSafetensors(files.safetensors).tensors.keys()];
    expect(names).toContain('bert.embeddings.word_embeddings.weight');
    expect(names).toContain('cls.predictions.transform.dense.weight');
    expect(names).toContain('cls.seq_relationship.weight');

    const before = tf.memory().numTensors;
    const loaded = buildModel(files, 'test');
    expect(loaded.mlm).not.toBeNull();
    expect(loaded.task).toBeNull();
    const text = 'the cat [MASK] on the mat .';
    const got = await fillMaskAsync(loaded.bert, loaded.mlm!, loaded.tokenizer, text, { topK: 3 });
    // reference: the original weights through @bertkit/heads' own fill-mask
    const head = new MaskedLmHead(model.bert, model.headTensors());
    const want = fillMask(model.bert, head, tok, text, { topK: 3 });
    head.dispose();
    expect(got.map((f) => f.candidates.map((c) => c.tokenId))).toEqual(want.map((f) => f.candidates.map((c) => c.tokenId)));
    got[0].candidates.forEach((c, i) => expect(c.score).toBeCloseTo(want[0].candidates[i].score, 6));
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('a missing [MASK] is an error in words', async () => {
    const tok = BertTokenizer.fromTokens(TOKENS);
    const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 32, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 37, maxPositionEmbeddings: 40 });
    const model = BertForPreTraining.create(config, { rng: new Rng(1), objective: 'mlm' });
    const loaded = buildModel(await exportPretraining(model, tok, 'test'), 'test');
    await expect(fillMaskAsync(loaded.bert, loaded.mlm!, loaded.tokenizer, 'the cat sat', { topK: 3 })).rejects.toThrow(/\[MASK\]/);
    loaded.dispose();
    model.dispose();
  });
});
