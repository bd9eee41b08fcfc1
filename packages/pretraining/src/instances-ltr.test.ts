import { Rng } from '@bertkit/backend';
import { describe, expect, it } from 'vitest';
import { resolveDataOptions } from './data-config.js';
import { createLtrInstances, createLtrInstancesFromDocument } from './instances-ltr.js';
import { vocabInfo } from './instances-vocab.js';
import { tinyTokenizer } from './instances.test-helpers.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...Array.from({ length: 94 }, (_, i) => `w${i}`)];
const vocab = vocabInfo(tinyTokenizer(VOCAB));

describe('LTR instances (the "LTR & No NSP" ablation)', () => {
  it('cuts the document token stream into [CLS] piece [SEP]; label at i = token i+1; no NSP, one segment', () => {
    const doc = [[10, 11, 12], [13, 14], [15, 16, 17, 18]];
    const opts = resolveDataOptions({ maxSeqLength: 6, shortSeqProb: 0, maxPredictionsPerSeq: 1 });
    const out = createLtrInstancesFromDocument(doc, opts, vocab, new Rng(0));
    expect(out.map((x) => [...x.inputIds])).toEqual([
      [2, 10, 11, 12, 13, 3],
      [2, 14, 15, 16, 17, 3],
      [2, 18, 3],
    ]);
    expect([...out[0].maskedPositions]).toEqual([0, 1, 2, 3]);
    expect([...out[0].maskedLabels]).toEqual([10, 11, 12, 13]);
    expect([...out[2].maskedPositions]).toEqual([0]);
    expect([...out[2].maskedLabels]).toEqual([18]);
    for (const x of out) {
      expect(x.nspLabel).toBe(-1);
      expect(x.segmentBStart).toBe(x.inputIds.length);
    }
  });

  it('is seeded (short targets, shuffling) and covers every document dupeFactor times', () => {
    const docs = Array.from({ length: 6 }, (_, d) => Array.from({ length: 5 }, (_, s) => [5 + d, 5 + s, 20 + d]));
    const opts = resolveDataOptions({ maxSeqLength: 12, shortSeqProb: 0.5, dupeFactor: 3, maxPredictionsPerSeq: 2 });
    const a = createLtrInstances(docs, opts, vocab, new Rng(1));
    expect(createLtrInstances(docs, opts, vocab, new Rng(1))).toEqual(a);
    expect(createLtrInstances(docs, opts, vocab, new Rng(2))).not.toEqual(a);
    const labelled = a.reduce((n, x) => n + x.maskedLabels.length, 0);
    expect(labelled).toBe(3 * 6 * 15);
  });
});
