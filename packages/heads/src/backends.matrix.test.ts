// Every public inference function against the HF goldens (../shared/fixtures/encoder), on cpu and wasm (≤ 1e-5)
// and on WebGPU (≤ 1e-4; Dawn in Node: a GPU, or Mesa llvmpipe named explicitly): fill-mask, embeddings (cls, mean,
// pooled, a chosen layer), sequence classification, token classification, question answering, multiple choice and
// feature extraction. The fixture models use a synthetic 99-token vocabulary (`w5` … `w98`, [CLS]=1, [SEP]=2,
// [MASK]=3, [PAD]=0), so a golden input row is turned back into text and goes through the tokenizer too.
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@bertkit/backend';
import { readSafetensors, toFloat32, type RawTensor } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { padRows, type EncodedRow } from './common/batch';
import { chooseEnding, classify, tagWords } from './common/predict';
import { predictLogits } from './common/runner';
import { loadTaskModel } from './common/model-io';
import { embedBatch, embedTexts } from './embeddings';
import { forwardFeatures } from './features/forward-features';
import { parseLayerList } from './features/layer-selection';
import { MlmHead } from '@bertkit/encoder';
import { fillMaskRows } from './fill-mask';
import { softmax } from './squad/postprocess';

const manifest = readManifest<{ forward: EncoderForwardCase[] }>('encoder');
const skip = fixturesMissing('encoder');
const oddCase = (head: string) => manifest?.forward.find((c) => c.name === `odd-${head}`);
const TOKENS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...Array.from({ length: 94 }, (_, i) => `w${i + 5}`)];
const tok = BertTokenizer.fromTokens(TOKENS);

type Ids = number[][];
interface Golden {
  tensors: Map<string, RawTensor>;
  rows: EncodedRow[]; // real tokens of each input row (padding cut)
  inputs: Record<string, Ids | Ids[]>;
}

function golden(c: EncoderForwardCase): Golden {
  const tensors = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
  const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, Ids | Ids[]>;
  const flat = (x: Ids | Ids[]) => (Array.isArray(x[0][0]) ? (x as Ids[]).flat() : (x as Ids));
  const ids = flat(inputs.input_ids), types = flat(inputs.token_type_ids), mask = flat(inputs.attention_mask);
  const rows = ids.map((r, i) => {
    const n = mask[i].reduce((a, b) => a + b, 0);
    return { inputIds: r.slice(0, n), typeIds: types[i].slice(0, n) };
  });
  return { tensors, rows, inputs };
}

const f32 = (g: Golden, name: string) => toFloat32(g.tensors.get(name)!);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
/** A row's text (segment A, and B for pairs): the ids back to the synthetic vocabulary's words. */
function textOf(r: EncodedRow): [string, string | null] {
  const words = (from: number, to: number) => r.inputIds.slice(from, to).map((id) => TOKENS[id]).join(' ');
  const sep = r.inputIds.indexOf(2);
  const end = r.inputIds.length - 1;
  return sep === end ? [words(1, sep), null] : [words(1, sep), words(sep + 1, end)];
}

const webgpu = skip ?? (await initBackend({ backend: 'webgpu' }).then(() => null, (e: Error) => `no WebGPU adapter here (${e.message})`));
await tf.setBackend('cpu');
const BACKENDS: { name: string; tol: number; skip: string | null }[] = [
  { name: 'cpu', tol: 1e-5, skip },
  { name: 'wasm', tol: 1e-5, skip },
  { name: 'webgpu', tol: 1e-4, skip: webgpu },
];
const measured: string[] = [];

for (const b of BACKENDS) {
  describe.skipIf(b.skip !== null)(`inference on ${b.name} vs HF ${b.skip ?? ''}`, () => {
    const use = async () => expect((await initBackend({ backend: b.name as 'cpu' })).backend).toBe(b.name);
    const record = (what: string, d: number) => {
      measured.push(`${b.name} ${what}: ${d.toExponential(2)}`);
      expect(d, `${b.name} ${what}`).toBeLessThanOrEqual(b.tol);
    };
    afterAll(async () => {
      await tf.setBackend('cpu');
      if (b.name === 'webgpu' || webgpu !== null) console.log(measured.join('\n'));
    });

    it('fill-mask: top-k probabilities = softmax(mlm_logits) at the chosen positions', async () => {
      await use();
      const c = oddCase('mlm')!;
      const g = golden(c);
      const { config, model, tensors } = await loadModel(fixturePath('encoder', c.model));
      const mlm = MlmHead.fromTensors(config, tensors);
      const before = tf.memory().numTensors;
      const rows = g.rows.map((r) => ({ ...r, masks: [1, r.inputIds.length - 2] }));
      const tops = await fillMaskRows({ bert: model, mlm }, rows, 5, 0);
      expect(tf.memory().numTensors).toBe(before);
      const [, T, V] = g.tensors.get('mlm_logits')!.shape;
      const logits = f32(g, 'mlm_logits');
      let d = 0;
      rows.forEach((r, i) =>
        r.masks.forEach((p, m) => {
          const want = softmax(Array.from(logits.subarray((i * T + p) * V, (i * T + p + 1) * V)));
          const order = [...want.keys()].sort((x, y) => want[y] - want[x]).slice(0, 5);
          expect(tops[i][m].ids.slice(0, 1)).toEqual(order.slice(0, 1));
          d = Math.max(d, maxDiff(tops[i][m].probs, tops[i][m].ids.map((id) => want[id])));
        }),
      );
      record('fill-mask probabilities', d);
      mlm.dispose();
      model.dispose();
    });

    it('embeddings: cls, mean over the mask, pooled, layer 0 (batch and text paths)', async () => {
      await use();
      const c = oddCase('base')!;
      const g = golden(c);
      const { model } = await loadModel(fixturePath('encoder', c.model));
      const p = padRows(g.rows.map((r) => [r]), 0);
      const batch = tf.tidy(() => ({
        inputIds: tf.tensor2d(p.inputIds, p.shape as [number, number], 'int32'),
        tokenTypeIds: tf.tensor2d(p.typeIds, p.shape as [number, number], 'int32'),
        attentionMask: tf.tensor2d(p.attentionMask, p.shape as [number, number], 'int32'),
      }));
      const before = tf.memory().numTensors;
      const [, T, H] = g.tensors.get('sequence_output')!.shape;
      const seq = f32(g, 'sequence_output'), emb = f32(g, 'embeddings'), pooled = f32(g, 'pooled_output');
      const row = (src: Float32Array, i: number, t: number) => src.subarray((i * T + t) * H, (i * T + t + 1) * H);
      const meanOf = (i: number) => Array.from({ length: H }, (_, k) => g.rows[i].inputIds.reduce((s, _id, t) => s + row(seq, i, t)[k], 0) / g.rows[i].inputIds.length);
      const cls = await embedBatch(model, batch, { pooling: 'cls' });
      const mean = await embedBatch(model, batch, { pooling: 'mean' });
      const pool = await embedBatch(model, batch, { pooling: 'pooled' });
      const layer0 = await embedBatch(model, batch, { pooling: 'cls', layer: 0 });
      const texts = await embedTexts(model, tok, g.rows.map((r) => textOf(r)).map(([a, bb]) => (bb === null ? a : ([a, bb] as [string, string]))), { pooling: 'mean', batchSize: 2 });
      expect(tf.memory().numTensors).toBe(before);
      record('embeddings cls', Math.max(...cls.map((v, i) => maxDiff(v, row(seq, i, 0)))));
      record('embeddings mean', Math.max(...mean.map((v, i) => maxDiff(v, meanOf(i)))));
      record('embeddings mean (texts)', Math.max(...texts.map((v, i) => maxDiff(v, meanOf(i)))));
      record('embeddings pooled', Math.max(...pool.map((v, i) => maxDiff(v, pooled.subarray(i * H, (i + 1) * H)))));
      record('embeddings layer 0', Math.max(...layer0.map((v, i) => maxDiff(v, row(emb, i, 0)))));
      tf.dispose(Object.values(batch));
      model.dispose();
    });

    it('feature extraction: the last two layers of every token', async () => {
      await use();
      const c = oddCase('base')!;
      const g = golden(c);
      const { model } = await loadModel(fixturePath('encoder', c.model));
      const L = model.config.numHiddenLayers;
      const feats = await forwardFeatures(model, g.rows.map((r) => ({ ids: r.inputIds, typeIds: r.typeIds })), parseLayerList('-1,-2'));
      const [, T, H] = g.tensors.get('sequence_output')!.shape;
      let d = 0;
      for (const [k, name] of [[0, 'sequence_output'], [1, `layer.${L - 2}.output`]] as const) {
        const src = f32(g, name);
        feats.forEach((f, i) => (d = Math.max(d, maxDiff(f[k], src.subarray(i * T * H, (i * T + g.rows[i].inputIds.length) * H)))));
      }
      record('feature extraction', d);
      model.dispose();
    });

    it('sequence classification, token classification, QA and multiple choice', async () => {
      await use();
      for (const [head, key] of [['seqcls', 'seqcls_logits'], ['tokcls', 'tokcls_logits'], ['qa', 'qa_start_logits'], ['mc', 'mc_logits']] as const) {
        const c = oddCase(head)!;
        const g = golden(c);
        const model = await loadTaskModel(fixturePath('encoder', c.model));
        const before = tf.memory().numTensors;
        if (head === 'mc') {
          const C = (g.inputs.input_ids as Ids[])[0].length;
          const items = Array.from({ length: g.rows.length / C }, (_, i) => g.rows.slice(i * C, (i + 1) * C));
          const logits = await predictLogits(model, items, (f) => padRows(f, 0, true));
          record('multiple choice logits', maxDiff(logits.flatMap((l) => Array.from(l.data)), f32(g, key)));
          // chooseEnding from text (one context, each choice as segment B; the fixture's rows have a context each, so
          // its scores are checked against softmax of the logits of the same rows encoded by the tokenizer)
          const [ctx] = textOf(items[0][0]);
          const endings = items[0].map((row) => textOf(row)[1]!);
          const r = await chooseEnding(model, tok, ctx, endings);
          const rows = endings.map((e) => tok.encode(ctx, e)).map((e) => ({ inputIds: e.ids, typeIds: e.typeIds }));
          const [own] = await predictLogits(model, [rows], (f) => padRows(f, 0, true));
          record('chooseEnding scores', maxDiff(r.scores, softmax(Array.from(own.data))));
        } else {
          const logits = await predictLogits(model, g.rows.map((r) => [r]), (f) => padRows(f, 0));
          const gl = f32(g, key);
          const T = g.tensors.get(key)!.shape[1];
          let d = 0;
          logits.forEach((l, i) => {
            const per = head === 'seqcls' ? l.data.length : g.rows[i].inputIds.length * (head === 'qa' ? 2 : l.shape[1]);
            for (let j = 0; j < per; j++) {
              if (head === 'seqcls') d = Math.max(d, Math.abs(l.data[j] - gl[i * l.data.length + j]));
              else if (head === 'qa') {
                const t = Math.floor(j / 2);
                const want = j % 2 === 0 ? gl[i * T + t] : f32(g, 'qa_end_logits')[i * T + t];
                d = Math.max(d, Math.abs(l.data[j] - want));
              } else d = Math.max(d, Math.abs(l.data[j] - gl[i * T * l.shape[1] + j]));
            }
          });
          record(`${head} logits`, d);
          if (head === 'seqcls') {
            const [a, bb] = textOf(g.rows[0]);
            const [p] = await classify(model, tok, [bb === null ? a : [a, bb]]);
            record('classify scores', maxDiff(Object.values(p.scores), softmax(Array.from(gl.subarray(0, model.numLabels)))));
          }
          if (head === 'tokcls') {
            const words = textOf(g.rows[0])[0].split(' ');
            const [tags] = await tagWords(model, tok, [words]);
            const K = model.numLabels;
            const want = words.map((_, w) => {
              const row = Array.from(gl.subarray((1 + w) * K, (2 + w) * K));
              return model.config.id2label?.[String(row.indexOf(Math.max(...row)))] ?? `LABEL_${row.indexOf(Math.max(...row))}`;
            });
            if (textOf(g.rows[0])[1] === null) expect(tags.map((t) => t.label)).toEqual(want);
          }
        }
        expect(tf.memory().numTensors).toBe(before);
        model.dispose();
      }
    });
  });
}
