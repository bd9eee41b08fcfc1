// The CPU-side post-processing of an external engine's outputs (ORT: @bertkit/onnx's createOrtBert) equals the
// tfjs path: a tfjs model put behind the ExternalForward interface (its raw outputs read back, as ORT returns
// them) gives the same embeddings (cls / mean / pooled, normalized), per-token vectors, fill-mask top-k and task
// logits (QA's start / end interleaved) as the tfjs functions, within 1e-5. ORT itself: packages/bertkit,
// apps/server and apps/cli test it against tfjs on the HF fixture models.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { BertModel, MlmHead, bertConfig } from '@bertkit/encoder';
import { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedTexts, embedTokens } from '../embeddings';
import { fillMaskRows, type MaskedRow } from '../fill-mask';
import { padRows } from './batch';
import type { ExternalForward, ForwardOutput } from './external-forward';
import { predictLogits } from './runner';
import { BertTaskModel } from './task-model';
import { topKSoftmax } from './top-k-softmax';

const TOL = 1e-5;
const VOCAB = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', 'the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', '.'];
const config = bertConfig({ vocabSize: VOCAB.length, hiddenSize: 12, numHiddenLayers: 2, numAttentionHeads: 3, intermediateSize: 7, maxPositionEmbeddings: 16 });
const tok = BertTokenizer.fromTokens(VOCAB);
let bert: BertModel;
let mlm: MlmHead;
let qa: BertTaskModel;

/** The tfjs model's outputs as an external engine returns them: named, read back, [B, T, V] MLM logits. */
function tfjsAsExternal(task: BertTaskModel | null): ExternalForward {
  const model = task?.encoder ?? bert;
  return {
    config,
    outputNames: ['last_hidden_state', ...(model.pooler ? ['pooler_output'] : []), ...(task ? ['start_logits', 'end_logits'] : ['logits'])],
    async run(x, shape) {
      const t = (a: ArrayLike<number>) => tf.tensor2d(Int32Array.from(a), shape as [number, number], 'int32');
      const inputs = { inputIds: t(x.inputIds), tokenTypeIds: t(x.typeIds), attentionMask: t(x.attentionMask) };
      const read = async (t: tf.Tensor): Promise<ForwardOutput> => ({ data: (await t.data()) as Float32Array, dims: t.shape });
      const ys = tf.tidy(() => {
        const out = model.forward(inputs);
        const h = tf.reshape(out.sequenceOutput, [-1, config.hiddenSize]) as tf.Tensor2D;
        const wordEmb = model.parameters().get('embeddings.word_embeddings.weight') as tf.Tensor2D;
        const head = task ? tf.unstack(task.forward(inputs), 2) : [tf.reshape(mlm.apply(h, wordEmb), [...shape, config.vocabSize])];
        return [out.sequenceOutput, out.pooledOutput ?? tf.zeros([1]), ...head];
      });
      const [seq, pooled, ...head] = await Promise.all(ys.map(read));
      tf.dispose([...ys, ...Object.values(inputs)]);
      return { last_hidden_state: seq, pooler_output: pooled, ...(task ? { start_logits: head[0], end_logits: head[1] } : { logits: head[0] }) };
    },
  };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  bert = new BertModel(config, { rng: new Rng(3) });
  mlm = new MlmHead(config, new Rng(4));
  mlm.outputBias.assign(tf.mul(tf.range(0, config.vocabSize, 1, 'float32'), 0.05));
  qa = new BertTaskModel(config, 'question-answering', { rng: new Rng(5) });
});
afterAll(() => {
  bert.dispose();
  mlm.dispose();
  qa.dispose();
});

describe('topKSoftmax', () => {
  it('ranks a row by softmax probability (ties: lower id first), and targets under the full softmax', () => {
    const row = [1, 3, 0.5, 3, -2];
    const z = row.map(Math.exp).reduce((a, b) => a + b);
    expect(topKSoftmax(row, 3).ids).toEqual([1, 3, 0]);
    expect(topKSoftmax(row, 3).probs.map((p) => p.toFixed(6))).toEqual([3, 3, 1].map((v) => (Math.exp(v) / z).toFixed(6)));
    expect(topKSoftmax(row, 10).ids).toEqual([1, 3, 0, 2, 4]);
    const t = topKSoftmax(Float32Array.from(row), 5, [4, 2]); // k capped at the number of targets, not renormalised
    expect(t.ids).toEqual([2, 4]);
    expect(t.probs[0]).toBeCloseTo(Math.exp(0.5) / z, 6);
  });
});

describe('an external engine behind the heads functions equals the tfjs path', () => {
  const texts = ['the cat sat on the mat .', 'a dog', ['the dog ran', 'a cat sat'] as const];

  it('embedTexts (cls, mean, pooled; normalized) and embedTokens', async () => {
    const ext = tfjsAsExternal(null);
    for (const pooling of ['cls', 'mean', 'pooled'] as const) {
      for (const normalize of [false, true]) {
        const [a, b] = [await embedTexts(bert, tok, texts, { pooling, normalize }), await embedTexts(ext, tok, texts, { pooling, normalize })];
        expect(maxDiff(a.flat(), b.flat()), `${pooling} ${normalize}`).toBeLessThan(TOL);
      }
    }
    const [a, b] = [await embedTokens(bert, tok, texts, { normalize: true }), await embedTokens(ext, tok, texts, { normalize: true })];
    expect(b.map((r) => r.length)).toEqual(a.map((r) => r.length));
    expect(maxDiff(a.flat(2), b.flat(2))).toBeLessThan(TOL);
    await expect(embedTexts(ext, tok, texts, { layer: 1 })).rejects.toThrow(/layer: expected the last layer \(-1 or 2\) with an external engine/);
  });

  it('fillMaskRows: the same ids and probabilities, with and without targets', async () => {
    const rows: MaskedRow[] = ['the [MASK] sat on the mat', '[MASK] dog [MASK]'].map((t) => {
      const e = tok.encode(t);
      return { inputIds: e.ids, typeIds: e.typeIds, masks: e.ids.flatMap((id, i) => (id === tok.maskTokenId ? [i] : [])) };
    });
    for (const targets of [undefined, [6, 11, 12]]) {
      const a = await fillMaskRows({ bert, mlm }, rows, 4, tok.padTokenId, targets);
      const b = await fillMaskRows(tfjsAsExternal(null), rows, 4, tok.padTokenId, targets);
      expect(b.map((r) => r.map((m) => m.ids))).toEqual(a.map((r) => r.map((m) => m.ids)));
      expect(maxDiff(b.flat().flatMap((m) => m.probs), a.flat().flatMap((m) => m.probs))).toBeLessThan(TOL);
    }
  });

  it('predictLogits: question answering start / end interleaved as BertTaskModel gives them [T, 2]', async () => {
    const features = ['the cat sat', 'a dog ran on the mat .'].map((t) => tok.encode(t));
    const collate = (fs: typeof features) => padRows(fs.map((f) => [{ inputIds: f.ids, typeIds: f.typeIds }]), tok.padTokenId);
    const [a, b] = [await predictLogits(qa, features, collate), await predictLogits(tfjsAsExternal(qa), features, collate)];
    expect(b.map((l) => l.shape)).toEqual(a.map((l) => l.shape));
    expect(maxDiff(b.flatMap((l) => Array.from(l.data)), a.flatMap((l) => Array.from(l.data)))).toBeLessThan(TOL);
  });
});
