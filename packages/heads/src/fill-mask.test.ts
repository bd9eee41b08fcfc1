// Fill-mask and embeddings against HF goldens: the masked-LM head reproduces BertForMaskedLM /
// BertForPreTraining `mlm_logits` (≤ the manifest tolerance), embeddings reproduce sequence/pooled outputs.
import '@tensorflow/tfjs-backend-cpu';
import { readSafetensors, toFloat32 } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MlmHead } from '@bertkit/encoder';
import { embedBatch, embedTexts } from './embeddings';
import { fillMask } from './fill-mask';

type ForwardCase = EncoderForwardCase;
const manifest = readManifest<{ forward: ForwardCase[]; tolerance: { forward_abs: number } }>('encoder');
const skip = fixturesMissing('encoder');
const mlmCases = (manifest?.forward ?? []).filter((c) => c.head === 'mlm' || c.head === 'pretraining');
const baseCases = (manifest?.forward ?? []).filter((c) => c.head === 'base');
const tolerance = manifest?.tolerance.forward_abs ?? 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function setup(c: ForwardCase) {
  const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
  const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, number[][]>;
  const loaded = await loadModel(fixturePath('encoder', c.model));
  const batch = {
    inputIds: tf.tensor2d(inputs.input_ids, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(inputs.token_type_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(inputs.attention_mask, undefined, 'int32'),
  };
  return { golden, loaded, batch, dispose: () => { tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask]); loaded.model.dispose(); } };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe.skipIf(skip !== null || mlmCases.length === 0)(`masked-LM head vs HF (${skip ?? `${mlmCases.length} cases`})`, () => {
  it.each(mlmCases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const { golden, loaded, batch, dispose } = await setup(c);
    const head = MlmHead.fromTensors(loaded.config, loaded.tensors);
    const wordEmb = loaded.model.parameters().get('embeddings.word_embeddings.weight') as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const logits = tf.tidy(() => {
      const out = loaded.model.forward(batch);
      const [b, t, h] = out.sequenceOutput.shape;
      return tf.reshape(head.apply(tf.reshape(out.sequenceOutput, [b * t, h]) as tf.Tensor2D, wordEmb), [b, t, -1]);
    });
    const g = golden.get('mlm_logits')!;
    expect(logits.shape).toEqual(g.shape);
    const d = maxDiff(logits.dataSync(), toFloat32(g));
    console.log(`${c.name}: mlm_logits max abs diff ${d.toExponential(2)}`);
    expect(d).toBeLessThanOrEqual(tolerance);
    logits.dispose();
    expect(tf.memory().numTensors).toBe(before);
    if (loaded.config.vocabSize === 99) {
      // fillMask on a 99-token vocabulary matching the fixture's ids ([CLS]=1, [SEP]=2, [MASK]=3, [PAD]=0).
      const tokens = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...Array.from({ length: 94 }, (_, i) => `w${i + 5}`)];
      const tok = BertTokenizer.fromTokens(tokens);
      const fills = await fillMask({ bert: loaded.model, mlm: head }, tok, 'w15 w79 [MASK] w59 [MASK]', { topK: 3 });
      expect(fills.map((f) => f.position)).toEqual([3, 5]);
      for (const f of fills) {
        expect(f.candidates).toHaveLength(3);
        expect(f.candidates[0].score).toBeGreaterThanOrEqual(f.candidates[1].score);
        // several masks: HF keeps the special tokens (the other [MASK] shows where it is)
        expect(f.candidates[0].sequence.split(' ')).toHaveLength(7);
      }
      expect(tf.memory().numTensors).toBe(before);
      // HF's field names; each candidate's token_str is its id's vocabulary entry
      for (const c of fills[0].candidates) expect(c.token_str).toBe(tokens[c.token]);
      // leaks nothing, also when it throws
      await expect(fillMask({ bert: loaded.model, mlm: head }, tok, 'w15 w79')).rejects.toThrow(/at least one \[MASK\] token/);
      const texts = ['w15 w79 w59', ['w20 w21', 'w22'] as [string, string], 'w7'];
      // batching does not change the vectors (padding is masked out)
      const batched = await embedTexts(loaded.model, tok, texts, { batchSize: 2 });
      const single = await embedTexts(loaded.model, tok, texts, { batchSize: 1 });
      batched.forEach((v, i) => expect(maxDiff(v, single[i])).toBeLessThan(1e-5));
      expect(tf.memory().numTensors).toBe(before);
    }
    head.dispose();
    dispose();
  });
});

describe.skipIf(skip !== null || baseCases.length === 0)('embedBatch vs HF outputs', () => {
  it('cls = sequence_output[:, 0], pooled = pooled_output, mean over the mask, layer 0 = embeddings', async () => {
    const { golden, loaded, batch, dispose } = await setup(baseCases[0]);
    const seq = golden.get('sequence_output')!;
    const [b, t, h] = seq.shape;
    const s = toFloat32(seq);
    const mask = batch.attentionMask.arraySync();
    const cls = await embedBatch(loaded.model, batch, { pooling: 'cls' });
    const pooled = await embedBatch(loaded.model, batch, { pooling: 'pooled' });
    const mean = await embedBatch(loaded.model, batch, { pooling: 'mean' });
    const emb0 = await embedBatch(loaded.model, batch, { pooling: 'cls', layer: 0 });
    const e = toFloat32(golden.get('embeddings')!);
    for (let i = 0; i < b; i++) {
      expect(maxDiff(cls[i], s.slice(i * t * h, i * t * h + h))).toBeLessThanOrEqual(tolerance);
      expect(maxDiff(emb0[i], e.slice(i * t * h, i * t * h + h))).toBeLessThanOrEqual(tolerance);
      const n = mask[i].reduce((x, y) => x + y, 0);
      const want = Array.from({ length: h }, (_, k) => {
        let acc = 0;
        for (let j = 0; j < t; j++) if (mask[i][j]) acc += s[i * t * h + j * h + k];
        return acc / n;
      });
      expect(maxDiff(mean[i], want)).toBeLessThanOrEqual(tolerance);
    }
    expect(maxDiff(pooled.flat(), toFloat32(golden.get('pooled_output')!))).toBeLessThanOrEqual(tolerance);
    await expect(embedBatch(loaded.model, batch, { layer: 9 })).rejects.toThrow(/layer: expected an integer in \[-4, 3\], got 9/);
    const unit = await embedBatch(loaded.model, batch, { normalize: true });
    expect(Math.hypot(...unit[0])).toBeCloseTo(1, 5);
    dispose();
  });
});
