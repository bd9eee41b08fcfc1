import { describe, expect, it } from 'vitest';
import { type QaWindow, SquadPostprocessError, bestIndexes, postprocessQa, postprocessQaAll, softmax } from './postprocess';

// Two overlapping windows over "the Paris of France": [CLS] q [SEP] <context tokens> [SEP].
const context = 'the Paris of France';
const w0: QaWindow = {
  offsets: [null, null, [0, 3], [4, 9], [10, 12], null],
  startLogits: [1.0, 0, 0.5, 3.0, 0.2, 0],
  endLogits: [1.5, 0, 0.1, 2.5, 0.4, 0],
};
const w1: QaWindow = {
  offsets: [null, null, [4, 9], [10, 12], [13, 19], null],
  startLogits: [2.0, 0, 2.8, 0.1, 1.0, 0],
  endLogits: [0.5, 0, 2.0, 0.3, 3.0, 0],
};
const opts = { nBestSize: 3, maxAnswerLength: 2 };

describe('postprocessQa', () => {
  it('v1.1: best span over all windows, duplicates removed, length and order limits applied', () => {
    const p = postprocessQa(context, [w0, w1], opts);
    expect(p.text).toBe('Paris');
    // "Paris" (w0, 5.5) beats "Paris" (w1, 4.8, dropped as a duplicate); "Paris of France" is 3 tokens > 2.
    expect(p.nbest.map((e) => [e.text, e.start_logit, e.end_logit])).toEqual([['Paris', 3, 2.5], ['France', 1, 3], ['Paris of', 3, 0.4]]);
    const probs = softmax([5.5, 4.0, 3.4]);
    p.nbest.forEach((e, i) => expect(e.probability).toBeCloseTo(probs[i], 15));
    expect(p.scoreDiff).toBeUndefined();
    expect(p.best).toEqual({ text: 'Paris', start: 4, end: 9, probability: p.nbest[0].probability });
  });
  it('v2.0: null score = min over windows of [CLS] start+end; score_diff against the threshold', () => {
    const p = postprocessQa(context, [w0, w1], { ...opts, version2WithNegative: true });
    expect(p.nbest.map((e) => e.text)).toEqual(['Paris', 'France', 'Paris of', '']);
    expect(p.nbest[3]).toMatchObject({ start_logit: 1.0, end_logit: 1.5 }); // w0's [CLS] (2.5 ties w1's; first kept)
    expect(p.scoreDiff).toBe(2.5 - 5.5);
    expect(p.text).toBe('Paris');
    const nullWins = postprocessQa(context, [w0, w1], { ...opts, version2WithNegative: true, nullScoreDiffThreshold: -3.5 });
    expect(nullWins.text).toBe('');
    expect(nullWins.best).toMatchObject({ text: 'Paris', start: 4, end: 9 }); // the best span is still reported
  });
  it('respects token_is_max_context', () => {
    const p = postprocessQa(context, [{ ...w0, maxContext: [false, false, true, false, true, false] }, w1], opts);
    expect(p.nbest[0]).toMatchObject({ text: 'Paris', start_logit: 2.8, end_logit: 2.0 }); // now from w1
    expect(p.best).toMatchObject({ text: 'Paris', start: 4, end: 9 });
  });
  it('gives the nonce "empty" answer when no span is valid, and validates inputs', () => {
    const none: QaWindow = { offsets: [null, null], startLogits: [0, 1], endLogits: [0, 1] };
    expect(postprocessQa(context, [none]).text).toBe('empty');
    expect(postprocessQa(context, [none]).best).toBeNull();
    expect(postprocessQa(context, [none], { version2WithNegative: true }).best).toBeNull();
    expect(() => postprocessQa(context, [{ ...none, endLogits: [0] }])).toThrow(SquadPostprocessError);
    expect(() => postprocessQa(context, [none], { maxAnswerLength: 0 })).toThrow(/maxAnswerLength: expected an integer >= 1, got 0/);
  });
  it('postprocessQaAll gives the predictions, null_odds and nbest files', () => {
    const files = postprocessQaAll([{ id: 'q1', context, windows: [w0, w1] }], { ...opts, version2WithNegative: true });
    expect(files.predictions).toEqual({ q1: 'Paris' });
    expect(files.nullOdds).toEqual({ q1: -3 });
    expect(files.nbest.q1.length).toBe(4);
  });
  it('bestIndexes keeps the lower index first on ties', () => {
    expect(bestIndexes([1, 3, 3, 2], 3)).toEqual([1, 2, 3]);
  });
});
