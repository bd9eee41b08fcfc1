// pipeline() against HF goldens (fixtures/encoder, transformers 4.35 on PyTorch): each task's output is what HF's
// pipeline post-processing makes of the HF-computed logits of the same input ids.
import '@tensorflow/tfjs-backend-cpu';
import { fixturesMissing } from '@bertkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { gatherPreEntities } from '@bertkit/heads';
import { aggregateEntities, decodeWordPieces, pipeline, type FillMaskCandidate, type LabelScore, type PipelineAnswer, type TokenEntity } from '../src/node';
import { golden, goldenRows, maxDiff, oddModelDir, oddVocab, removeOddModelDirs, slice, softmax, textOf, tolerance } from './odd-models';

const skip = fixturesMissing('encoder');
const rows = skip ? [] : goldenRows();
const pipes: { dispose(): void }[] = [];
afterAll(() => {
  pipes.forEach((p) => p.dispose());
  removeOddModelDirs();
});
const keep = <P extends { dispose(): void }>(p: P) => (pipes.push(p), p);
/** Top-k (id, probability) of a probability row, ties by id as torch.topk gives them here. */
const topK = (p: number[], k: number) => p.map((s, id) => ({ id, s })).sort((x, y) => y.s - x.s || x.id - y.id).slice(0, k);

describe.skipIf(skip !== null)(`pipeline() vs HF goldens (${skip ?? 'fixtures/encoder'})`, () => {
  it.each(['mlm', 'pretraining'])('fill-mask (%s): softmax of HF mlm_logits at the [MASK], HF sequence / token_str', async (name) => {
    const vocab = oddVocab(79); // row 0's id 79 (position 2) is the [MASK]
    const fill = keep(await pipeline('fill-mask', oddModelDir(name, vocab), { backend: 'cpu' }));
    const { ids, a, b } = rows[0];
    const input = { text: textOf(a, vocab), text_pair: textOf(b, vocab) };
    expect(fill.model.tokenizer.encode(input.text, input.text_pair).ids).toEqual(ids);
    const logits = golden(`goldens/odd/${name}.safetensors`, 'mlm_logits'); // [3, 24, 99]
    const p = softmax(slice(logits, 2 * 99, 99));
    const before = tf.memory().numTensors;
    const out = (await fill(input)) as FillMaskCandidate[];
    expect(tf.memory().numTensors).toBe(before);
    const want = topK(p, 5);
    expect(out.map((c) => c.token)).toEqual(want.map((w) => w.id));
    expect(maxDiff(out.map((c) => c.score), want.map((w) => w.s))).toBeLessThan(tolerance);
    for (const c of out) {
      expect(c.token_str).toBe(vocab[c.token]);
      // one mask: special tokens skipped, as HF's decode(skip_special_tokens=True)
      expect(c.sequence).toBe(textOf(ids.map((x, t) => (t === 2 ? c.token : x)).filter((x) => x > 2), vocab));
    }
    // targets: the probabilities of those tokens under the full softmax, top_k capped at their number
    const targeted = (await fill(input, { targets: ['w10', 'w20', 'w30', 'w10'], top_k: 10 })) as FillMaskCandidate[];
    expect(targeted.map((c) => c.token)).toEqual([10, 20, 30].sort((x, y) => p[y] - p[x]));
    expect(maxDiff(targeted.map((c) => c.score), targeted.map((c) => p[c.token]))).toBeLessThan(tolerance);
  });

  it('fill-mask with two masks: one list per mask, sequences keep the special tokens (HF)', async () => {
    const vocab = oddVocab(55); // row 0 has id 55 at positions 13 and 15
    const fill = keep(await pipeline('fill-mask', oddModelDir('mlm', vocab), { backend: 'cpu', top_k: 3 }));
    const { ids, a, b } = rows[0];
    const out = (await fill({ text: textOf(a, vocab), text_pair: textOf(b, vocab) })) as FillMaskCandidate[][];
    const logits = golden('goldens/odd/mlm.safetensors', 'mlm_logits');
    expect(out).toHaveLength(2);
    [13, 15].forEach((pos, m) => {
      const want = topK(softmax(slice(logits, pos * 99, 99)), 3);
      expect(out[m].map((c) => c.token)).toEqual(want.map((w) => w.id));
      expect(maxDiff(out[m].map((c) => c.score), want.map((w) => w.s))).toBeLessThan(tolerance);
      expect(out[m][0].sequence).toBe(textOf(ids.map((x, t) => (t === pos ? out[m][0].token : x)), vocab));
    });
    expect(out[0][0].sequence).toMatch(/^\[CLS\] .* \[MASK\] .*\[SEP\]$/);
  });

  it('feature-extraction: per-token = HF sequence_output, cls / mean / pooled vectors, normalize', async () => {
    const fe = keep(await pipeline('feature-extraction', oddModelDir('base'), { backend: 'cpu' }));
    const seq = golden('goldens/odd/base.safetensors', 'sequence_output'); // [3, 24, 40]
    const pooled = golden('goldens/odd/base.safetensors', 'pooled_output'); // [3, 40]
    for (const [r, { ids, a, b }] of rows.entries()) {
      const input = { text: textOf(a), text_pair: textOf(b) };
      const none = (await fe(input)) as number[][][];
      expect([none.length, none[0].length, none[0][0].length]).toEqual([1, ids.length, 40]); // [1][T][H] as HF
      expect(maxDiff(none[0].flat(), slice(seq, r * 24 * 40, ids.length * 40))).toBeLessThanOrEqual(tolerance);
      const cls = (await fe(input, { pooling: 'cls' })) as number[][];
      expect(maxDiff(cls[0], slice(seq, r * 24 * 40, 40))).toBeLessThanOrEqual(tolerance);
      const mean = (await fe(input, { pooling: 'mean' })) as number[][];
      const want = Array.from({ length: 40 }, (_, h) => none[0].reduce((s, v) => s + v[h], 0) / ids.length);
      expect(maxDiff(mean[0], want)).toBeLessThan(1e-6);
      expect(maxDiff(((await fe(input, { pooling: 'pooled' })) as number[][])[0], slice(pooled, r * 40, 40))).toBeLessThanOrEqual(tolerance);
    }
    const unit = (await fe('w5 w6', { pooling: 'mean', normalize: true })) as number[][];
    expect(Math.hypot(...unit[0])).toBeCloseTo(1, 6);
    const list = (await fe(['w5', 'w6 w7'])) as number[][][][];
    expect(list.map((x) => x[0].length)).toEqual([3, 4]);
  });

  it('text-classification: function_to_apply of HF seqcls_logits, top_k, pairs and single texts', async () => {
    const tc = keep(await pipeline('text-classification', oddModelDir('seqcls'), { backend: 'cpu' }));
    const logits = golden('goldens/odd/seqcls.safetensors', 'seqcls_logits'); // [3, 3]
    for (const [r, { a, b }] of rows.entries()) {
      const input = { text: textOf(a), text_pair: textOf(b) };
      const l = slice(logits, r * 3, 3);
      const p = softmax(l); // 3 labels, no problem_type: softmax (HF default)
      const all = (await tc(input, { top_k: null })) as LabelScore[];
      const order = [0, 1, 2].sort((x, y) => p[y] - p[x]);
      expect(all.map((x) => x.label)).toEqual(order.map((i) => `LABEL_${i}`));
      expect(maxDiff(all.map((x) => x.score), order.map((i) => p[i]))).toBeLessThan(tolerance);
      expect(await tc(input)).toEqual({ label: `LABEL_${order[0]}`, score: all[0].score }); // a dict input: one object
      expect(((await tc(input, { top_k: 2 })) as LabelScore[]).map((x) => x.label)).toEqual(all.slice(0, 2).map((x) => x.label));
      const raw = (await tc(input, { top_k: null, function_to_apply: 'none' })) as LabelScore[];
      expect(maxDiff(raw.map((x) => x.score), [...l].sort((x, y) => y - x))).toBeLessThanOrEqual(tolerance);
      const sig = (await tc(input, { top_k: null, function_to_apply: 'sigmoid' })) as LabelScore[];
      expect(sig[0].score).toBeCloseTo(1 / (1 + Math.exp(-Math.max(...l))), 5);
    }
    const single = await tc('w5 w6 w7'); // a string: a one-element list, as HF
    expect(single).toEqual([{ label: expect.stringMatching(/^LABEL_[0-2]$/), score: expect.any(Number) }]);
    expect(await tc(['w5 w6 w7', 'w8'])).toEqual([(single as LabelScore[])[0], expect.objectContaining({ label: expect.any(String) })]);
  });

  it('token-classification: per-token softmax of HF tokcls_logits with offsets into the text; aggregation', async () => {
    const ner = keep(await pipeline('ner', oddModelDir('tokcls'), { backend: 'cpu' }));
    const logits = golden('goldens/odd/tokcls.safetensors', 'tokcls_logits'); // [3, 24, 5]
    const labels = ['LABEL_0', 'LABEL_1', 'LABEL_2', 'LABEL_3', 'LABEL_4'];
    for (const [r, { a, b }] of rows.entries()) {
      const text = textOf(a);
      const input = { text, text_pair: textOf(b) };
      const got = (await ner(input, { ignore_labels: [] })) as TokenEntity[];
      let at = 0;
      const want = a.map((id, j) => {
        const p = softmax(slice(logits, (r * 24 + j + 1) * 5, 5));
        const k = p.indexOf(Math.max(...p));
        const word = `w${id}`;
        const e = { entity: labels[k], score: p[k], index: j + 1, word, start: at, end: at + word.length };
        at += word.length + 1;
        return e;
      });
      expect(got.map(({ score: _s, ...e }) => e)).toEqual(want.map(({ score: _s, ...e }) => e));
      expect(maxDiff(got.map((e) => e.score), want.map((e) => e.score))).toBeLessThan(tolerance);
      for (const e of got) expect(text.slice(e.start, e.end)).toBe(e.word);
      // default ignore_labels ['O']: these labels have no 'O', so nothing is dropped
      expect(await ner(input)).toEqual(got);
      // aggregation: the pre-entities of the golden scores through HF's strategies
      const pre = gatherPreEntities(
        { text, ids: a, tokens: a.map((i) => `w${i}`), offsets: want.map((e) => [e.start, e.end] as const), specialTokensMask: a.map(() => 0), unkTokenId: 4 },
        a.map((_, j) => softmax(slice(logits, (r * 24 + j + 1) * 5, 5))),
      );
      for (const strategy of ['simple', 'first', 'average', 'max'] as const) {
        const grouped = await ner(input, { aggregation_strategy: strategy, ignore_labels: ['LABEL_0'] });
        const expected = aggregateEntities(pre, strategy, { labels, ignoreLabels: ['LABEL_0'], joinTokens: (t) => decodeWordPieces(t) });
        expect(grouped).toEqual(expected.map((g) => ({ ...g, score: expect.closeTo(g.score, 5) })));
      }
    }
  });

  it('question-answering: HF span scores of qa_start/end_logits, top_k, handle_impossible_answer', async () => {
    const qa = keep(await pipeline('question-answering', oddModelDir('qa'), { backend: 'cpu' }));
    const start = golden('goldens/odd/qa.safetensors', 'qa_start_logits'); // [3, 24]
    const end = golden('goldens/odd/qa.safetensors', 'qa_end_logits');
    for (const [r, { ids, a, b }] of rows.entries()) {
      const input = { question: textOf(a), context: textOf(b) };
      // HF select_starts_ends, by brute force: softmax over [CLS] + context tokens, spans of ≤ 15 tokens
      const ctx = ids.map((_, t) => t > a.length + 1 && t < ids.length - 1);
      const sm = (g: typeof start) => softmax(ids.map((_, t) => (t === 0 || ctx[t] ? g.data[r * 24 + t] : -10000)));
      const [ps, pe] = [sm(start), sm(end)];
      const spans: { s: number; e: number; score: number }[] = [];
      for (let s = 0; s < ids.length; s++) for (let e = s; e < Math.min(ids.length, s + 15); e++) if (ctx[s] && ctx[e]) spans.push({ s, e, score: ps[s] * pe[e] });
      spans.sort((x, y) => y.score - x.score);
      const charStart = (t: number) => b.slice(0, t - a.length - 2).reduce((n, id) => n + `w${id}`.length + 1, 0);
      const answer = ({ s, e }: { s: number; e: number }) => input.context.slice(charStart(s), charStart(e) + `w${ids[e]}`.length);
      const best = (await qa(input)) as PipelineAnswer;
      expect(best.answer).toBe(answer(spans[0]));
      expect([best.start, best.end]).toEqual([charStart(spans[0].s), charStart(spans[0].e) + `w${ids[spans[0].e]}`.length]);
      expect(best.score).toBeCloseTo(spans[0].score, 6);
      const three = (await qa(input, { top_k: 3 })) as PipelineAnswer[];
      expect(three.map((x) => x.answer)).toEqual(spans.slice(0, 3).map(answer));
      expect(maxDiff(three.map((x) => x.score), spans.slice(0, 3).map((s) => s.score))).toBeLessThan(1e-6);
      const nullScore = ps[0] * pe[0];
      const v2 = (await qa(input, { handle_impossible_answer: true })) as PipelineAnswer;
      if (nullScore > spans[0].score) expect(v2).toEqual({ answer: '', start: 0, end: 0, score: expect.closeTo(nullScore, 6) });
      else expect(v2.answer).toBe(best.answer);
      const withNull = (await qa(input, { handle_impossible_answer: true, top_k: 50 })) as PipelineAnswer[];
      expect(withNull.find((x) => x.answer === '')!.score).toBeCloseTo(nullScore, 6);
    }
    // a long context in windows (doc_stride): every answer is the context's text at [start, end)
    const long = { question: 'w5 w6', context: Array.from({ length: 60 }, (_, i) => `w${10 + (i % 80)}`).join(' ') };
    const answers = (await qa(long, { max_seq_len: 24, doc_stride: 8, top_k: 5 })) as PipelineAnswer[];
    expect(answers).toHaveLength(5);
    for (const x of answers) expect(long.context.slice(x.start, x.end)).toBe(x.answer);
  });

  it('multiple-choice: softmax of HF mc_logits (one context per choice)', async () => {
    const mc = keep(await pipeline('multiple-choice', oddModelDir('mc'), { backend: 'cpu' }));
    const logits = golden('goldens/odd/mc.safetensors', 'mc_logits'); // [2, 3]
    const inputs = goldenRows('goldens/odd/inputs_mc.json'); // 6 rows = 2 examples × 3 choices
    for (let e = 0; e < 2; e++) {
      const choices = inputs.slice(e * 3, e * 3 + 3);
      const out = await mc({ context: choices.map((c) => textOf(c.a)), choices: choices.map((c) => textOf(c.b)) });
      const p = softmax(slice(logits, e * 3, 3));
      expect(maxDiff(out.scores, p)).toBeLessThan(tolerance);
      expect(out.choice).toBe(p.indexOf(Math.max(...p)));
    }
  });
});
