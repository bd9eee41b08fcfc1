// HF QuestionAnsweringPipeline post-processing (select_starts_ends / decode_spans / postprocess), by hand.
import { describe, expect, it } from 'vitest';
import { pipelineAnswers } from './pipeline-answers';
import type { QaWindow } from './postprocess';

/** Softmax of a few numbers, written out. */
const sm = (xs: number[]) => {
  const e = xs.map((x) => Math.exp(x));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
// [CLS] q [SEP] abc def ghi [SEP]: context tokens 3..5; "def" and "ghi" are one word ("defghi") for align_to_words.
const context = 'abc defghi';
const offsets = [null, null, null, [0, 3], [4, 7], [7, 10], null] as const;
const wordSpans = [null, null, null, [0, 3], [4, 10], [4, 10], null] as const;
const window: QaWindow = {
  startLogits: [1, 5, 5, 2, 0, 0, 5], // question / [SEP] logits are masked out (-10000) before the softmax
  endLogits: [0, 5, 5, 0.5, 2, 1, 5],
  offsets: [...offsets],
  wordSpans: [...wordSpans],
};
// Softmax over [CLS] + context: tokens 0, 3, 4, 5.
const [ps0, ps3, ps4, ps5] = sm([1, 2, 0, 0]);
const [pe0, pe3, pe4, pe5] = sm([0, 0.5, 2, 1]);

describe('pipelineAnswers (HF question-answering pipeline)', () => {
  it('best span by p_start · p_end, widened to whole words', () => {
    const [a] = pipelineAnswers(context, [window]);
    expect(a.answer).toBe('abc defghi');
    expect([a.start, a.end]).toEqual([0, 10]);
    expect(a.score).toBeCloseTo(ps3 * pe4, 12);
    const [b] = pipelineAnswers(context, [window], { alignToWords: false });
    expect([b.answer, b.start, b.end]).toEqual(['abc def', 0, 7]);
  });

  it('top_k ranks every span; max_answer_len bounds the span in tokens', () => {
    const all = pipelineAnswers(context, [window], { topK: 6, alignToWords: false });
    const want = [
      [3, 4, ps3 * pe4],
      [3, 5, ps3 * pe5],
      [3, 3, ps3 * pe3],
      [4, 4, ps4 * pe4],
      [4, 5, ps4 * pe5],
      [5, 5, ps5 * pe5],
    ].sort((x, y) => y[2] - x[2]);
    expect(all.map((a) => a.score)).toEqual(want.map((w) => expect.closeTo(w[2], 12)));
    expect(all.map((a) => a.answer)).toEqual(want.map(([s, e]) => context.slice(offsets[s]![0], offsets[e]![1])));
    const one = pipelineAnswers(context, [window], { maxAnswerLen: 1, alignToWords: false });
    expect(one[0].answer).toBe('abc'); // ps3·pe3 > ps4·pe4 > ps5·pe5
    expect(one[0].score).toBeCloseTo(ps3 * pe3, 12);
  });

  it('handle_impossible_answer adds the [CLS] null answer, winning when its score is highest', () => {
    const withNull = pipelineAnswers(context, [window], { topK: 20, handleImpossibleAnswer: true, alignToWords: false });
    const n = withNull.find((a) => a.answer === '')!;
    expect(n).toEqual({ answer: '', start: 0, end: 0, score: expect.closeTo(ps0 * pe0, 12) });
    expect(withNull.indexOf(n)).toBe(6); // below the six spans (all score more than ps0·pe0 here)
    const sure: QaWindow = { ...window, startLogits: [9, 0, 0, 2, 0, 0, 0], endLogits: [9, 0, 0, 0.5, 2, 1, 0] };
    const [a] = pipelineAnswers(context, [window, sure], { handleImpossibleAnswer: true });
    // the null score is the smallest over the windows: here `window`'s, below its best span
    expect(a.answer).toBe('abc defghi');
    const [b] = pipelineAnswers(context, [sure], { handleImpossibleAnswer: true });
    const [qs0] = sm([9, 2, 0, 0]);
    const [qe0] = sm([9, 0.5, 2, 1]);
    expect(b).toEqual({ answer: '', start: 0, end: 0, score: expect.closeTo(qs0 * qe0, 12) });
    expect(pipelineAnswers(context, [sure])[0].answer).not.toBe(''); // without the flag: the best span
  });

  it('answers from several windows are ranked together', () => {
    const other: QaWindow = { ...window, startLogits: [1, 0, 0, 0, 0, 5, 0], endLogits: [1, 0, 0, 0, 0, 5, 0] };
    const got = pipelineAnswers(context, [window, other], { topK: 2, alignToWords: false });
    const [, , , qs5] = sm([1, 0, 0, 5]);
    const [, , , qe5] = sm([1, 0, 0, 5]);
    expect(got.map((a) => a.answer)).toEqual(['ghi', 'abc def']);
    expect(got[0].score).toBeCloseTo(qs5 * qe5, 12);
  });

  it('rejects bad options and logits that do not match the offsets', () => {
    expect(() => pipelineAnswers(context, [window], { topK: 0 })).toThrow(/top_k: expected an integer >= 1, got 0/);
    expect(() => pipelineAnswers(context, [{ ...window, endLogits: [1] }])).toThrow(/windows\[0\]: expected 7 start\/end logits/);
  });
});
