import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { BertForPreTraining, fromHfInputs } from '@bertkit/pretraining';
import { savePretrainingModel } from '@bertkit/pretraining/node';
import { BertTokenizer } from '@bertkit/tokenizer';
import { saveTokenizer } from '@bertkit/tokenizer/node';
import { runCli } from '../cli.js';
import { fillMask } from '@bertkit/heads';
import { capture, tempDir } from '../test-io.js';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '.', 'dog', '##s'];

describe('bert fill-mask', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('prints the top-k at each [MASK] with the probabilities of the MLM head (checked against forwardAll)', async () => {
    const dir = tempDir();
    const tokenizer = BertTokenizer.fromTokens(TOKENS, { lowercase: true });
    const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 40, numHiddenLayers: 1, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 16 });
    const model = BertForPreTraining.create(config, { rng: new Rng(7) });
    await savePretrainingModel(dir, model);
    await saveTokenizer(tokenizer, dir);
    const c = capture();
    expect(await runCli(['fill-mask', '--model', dir, '--top-k', '3', '--json', '--backend', 'cpu', 'The [MASK] sat on the [MASK].'], c.io)).toBe(0);
    const r = JSON.parse(c.out()) as { masks: { position: number; candidates: { token: number; token_str: string; score: number; sequence: string }[] }[] };
    expect(r.masks.map((m) => m.position)).toEqual([2, 6]);
    // HF's `sequence`: the text with this mask filled; with several masks HF keeps the special tokens
    // (skip_special_tokens = single_mask), so the other [MASK] stays visible
    for (const x of r.masks[0].candidates) expect(x.sequence).toBe(`[CLS] the ${x.token_str} sat on the [MASK]. [SEP]`.replace(' ##', ''));
    // reference: softmax of the full [B, T, V] logits at those positions
    const ids = [2, 5, 4, 7, 8, 5, 4, 10, 3];
    const ref = tf.tidy(() => tf.softmax(model.forwardAll(fromHfInputs({ input_ids: [ids] })).mlmLogits).arraySync() as unknown as number[][][]);
    for (const m of r.masks) {
      const probs = ref[0][m.position];
      const order = [...probs.keys()].sort((a, b) => probs[b] - probs[a]).slice(0, 3);
      expect(m.candidates.map((x) => x.token)).toEqual(order);
      m.candidates.forEach((x) => {
        expect(x.token_str).toBe(TOKENS[x.token]);
        expect(x.score).toBeCloseTo(probs[x.token], 5);
      });
    }
    // text form, and no tensors left behind
    const before = tf.memory().numTensors;
    await fillMask(model, tokenizer, 'the [MASK] .', { topK: 2 });
    expect(tf.memory().numTensors).toBe(before);
    const t = capture();
    expect(await runCli(['fill-mask', '--model', dir, '--backend', 'cpu', 'the cat [MASK] .'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^the cat \[MASK\] \.\n {2}(\S+ \d+\.\d+% {2}){4}\S+ \d+\.\d+%\n$/);
    model.dispose();
  });

  it('names a text without [MASK] (exit 1)', async () => {
    const dir = tempDir();
    const model = BertForPreTraining.create(bertConfig({ vocabSize: TOKENS.length, hiddenSize: 32, numHiddenLayers: 1, numAttentionHeads: 4, intermediateSize: 37 }), { rng: new Rng(1) });
    await savePretrainingModel(dir, model);
    await saveTokenizer(BertTokenizer.fromTokens(TOKENS), dir);
    model.dispose();
    const c = capture();
    expect(await runCli(['fill-mask', '--model', join(dir), '--backend', 'cpu', 'the cat sat'], c.io)).toBe(1);
    expect(c.err()).toMatch(/TaskInputError: text: expected at least one \[MASK\] token, got "the cat sat"/);
  });
});
