// Token classification post-processing against HF TokenClassificationPipeline's behaviour, computed by hand from
// transformers/pipelines/token_classification.py (gather_pre_entities, aggregate, aggregate_word(s), group_entities).
import { BertTokenizer, decodeWordPieces } from '@bertkit/tokenizer';
import { describe, expect, it } from 'vitest';
import { aggregateEntities, gatherPreEntities, groupEntities, labelWords, type PreEntity } from './token-entities';

const w = (label: string, start: number, end: number, score = 0.5) => ({ label, start, end, score });

describe('groupEntities', () => {
  it('joins B-X I-X runs, starts anew at B-X, drops O, and slices words from the text', () => {
    const text = 'John Smith lives in New York City today';
    const words = [w('B-PER', 0, 4, 0.9), w('I-PER', 5, 10, 0.7), w('O', 11, 16), w('O', 17, 19), w('B-LOC', 20, 23), w('I-LOC', 24, 28), w('B-LOC', 29, 33), w('O', 34, 39)];
    expect(groupEntities(text, words)).toEqual([
      { entity_group: 'PER', word: 'John Smith', start: 0, end: 10, score: 0.8 },
      { entity_group: 'LOC', word: 'New York', start: 20, end: 28, score: 0.5 },
      { entity_group: 'LOC', word: 'City', start: 29, end: 33, score: 0.5 },
    ]);
  });

  it('reads labels without a prefix as runs of their own type, an I- after O or another type as a start (IOB1)', () => {
    const text = 'a b c d e';
    expect(groupEntities(text, [w('X', 0, 1), w('X', 2, 3), w('O', 4, 5), w('I-X', 6, 7), w('I-Y', 8, 9)]).map((e) => [e.entity_group, e.word])).toEqual([
      ['X', 'a b'],
      ['X', 'd'],
      ['Y', 'e'],
    ]);
  });
});

describe('labelWords', () => {
  // "Johnson lives": Johnson = [John, ##son] (word 0), lives (word 1), between [CLS] and [SEP]
  const enc = {
    wordIds: [null, 0, 0, 1, null],
    offsets: [
      [0, 0],
      [0, 4],
      [4, 7],
      [8, 13],
      [0, 0],
    ] as [number, number][],
  };
  const labels = ['O', 'B-PER', 'I-PER'];
  // logits [T=5, K=3]: John → B-PER (p≈0.67), ##son → O strongly (p≈0.94), lives → O
  const L = Math.log;
  const logits = [0, 0, 0, L(1), L(2), L(0), L(16), L(1), L(0), L(9), L(1), L(0), 0, 0, 0].map((x) => (x === -Infinity ? -50 : x));

  it("'first' takes the first sub-token's label and score; the span covers the whole word", () => {
    const [johnson, lives] = labelWords(enc, logits, labels, 'first');
    expect(johnson).toMatchObject({ label: 'B-PER', start: 0, end: 7 });
    expect(johnson.score).toBeCloseTo(2 / 3, 6);
    expect(lives).toMatchObject({ label: 'O', start: 8, end: 13 });
    expect(lives.score).toBeCloseTo(0.9, 6);
  });

  it("'max' takes the most confident sub-token, 'average' the mean of the probabilities", () => {
    expect(labelWords(enc, logits, labels, 'max')[0]).toMatchObject({ label: 'O', start: 0, end: 7 });
    expect(labelWords(enc, logits, labels, 'max')[0].score).toBeCloseTo(16 / 17, 6);
    const avg = labelWords(enc, logits, labels, 'average')[0];
    expect(avg.label).toBe('O');
    expect(avg.score).toBeCloseTo((1 / 3 + 16 / 17) / 2, 6);
  });

  it("'simple' keeps one unit per token and skips special tokens", () => {
    expect(labelWords(enc, logits, labels, 'simple').map((u) => [u.label, u.start, u.end])).toEqual([
      ['B-PER', 0, 4],
      ['O', 4, 7],
      ['O', 8, 13],
    ]);
  });

  it('names the mismatch when logits do not fit the encoding', () => {
    expect(() => labelWords(enc, [1, 2, 3], labels)).toThrow('logits: expected 5 tokens × 3 labels = 15 values, got 3');
  });
});

const labels = ['O', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC'];
const join = (t: string[]) => decodeWordPieces(t);
const opts = { labels, joinTokens: join };
// "hugging face inc is in new york": hu ##gging face inc is in new york (indices 1..8; [CLS] 0 and [SEP] 9 dropped)
const pre: PreEntity[] = [
  { word: 'hu', start: 0, end: 2, index: 1, isSubword: false, scores: [0.1, 0.7, 0.1, 0.05, 0.05] }, // B-ORG .7
  { word: '##gging', start: 2, end: 7, index: 2, isSubword: true, scores: [0.05, 0.05, 0.9, 0, 0] }, // I-ORG .9
  { word: 'face', start: 8, end: 12, index: 3, isSubword: false, scores: [0.1, 0.1, 0.8, 0, 0] }, // I-ORG .8
  { word: 'inc', start: 13, end: 16, index: 4, isSubword: false, scores: [0.5, 0.1, 0.4, 0, 0] }, // O .5
  { word: 'is', start: 17, end: 19, index: 5, isSubword: false, scores: [0.9, 0.025, 0.025, 0.025, 0.025] },
  { word: 'in', start: 20, end: 22, index: 6, isSubword: false, scores: [0.9, 0.025, 0.025, 0.025, 0.025] },
  { word: 'new', start: 23, end: 26, index: 7, isSubword: false, scores: [0.1, 0, 0, 0.85, 0.05] }, // B-LOC .85
  { word: 'york', start: 27, end: 31, index: 8, isSubword: false, scores: [0.1, 0, 0, 0.3, 0.6] }, // I-LOC .6
];
const close = <T extends { score: number }>(got: T[], want: T[]) => {
  expect(got.map(({ score: _s, ...r }) => r)).toEqual(want.map(({ score: _s, ...r }) => r));
  got.forEach((g, i) => expect(g.score).toBeCloseTo(want[i].score, 12));
};

describe('aggregateEntities (HF aggregation_strategy)', () => {
  it("none: one entity per token, 'O' dropped, words keep their ## prefix", () => {
    close(aggregateEntities(pre, 'none', opts), [
      { entity: 'B-ORG', score: 0.7, index: 1, word: 'hu', start: 0, end: 2 },
      { entity: 'I-ORG', score: 0.9, index: 2, word: '##gging', start: 2, end: 7 },
      { entity: 'I-ORG', score: 0.8, index: 3, word: 'face', start: 8, end: 12 },
      { entity: 'B-LOC', score: 0.85, index: 7, word: 'new', start: 23, end: 26 },
      { entity: 'I-LOC', score: 0.6, index: 8, word: 'york', start: 27, end: 31 },
    ]);
  });

  it('simple: tokens grouped by tag, score = mean of the token scores', () => {
    close(aggregateEntities(pre, 'simple', opts), [
      { entity_group: 'ORG', score: (0.7 + 0.9 + 0.8) / 3, word: 'hugging face', start: 0, end: 12 },
      { entity_group: 'LOC', score: (0.85 + 0.6) / 2, word: 'new york', start: 23, end: 31 },
    ]);
  });

  it("first: a word takes its first token's label and score", () => {
    close(aggregateEntities(pre, 'first', opts), [
      { entity_group: 'ORG', score: (0.7 + 0.8) / 2, word: 'hugging face', start: 0, end: 12 },
      { entity_group: 'LOC', score: 0.725, word: 'new york', start: 23, end: 31 },
    ]);
  });

  it("average: a word's scores are averaged before the arg-max", () => {
    // hugging: mean [0.075, 0.375, 0.5, 0.025, 0.025] → I-ORG 0.5
    close(aggregateEntities(pre, 'average', opts), [
      { entity_group: 'ORG', score: (0.5 + 0.8) / 2, word: 'hugging face', start: 0, end: 12 },
      { entity_group: 'LOC', score: 0.725, word: 'new york', start: 23, end: 31 },
    ]);
  });

  it('max: a word takes the label of its most confident token', () => {
    close(aggregateEntities(pre, 'max', opts), [
      { entity_group: 'ORG', score: (0.9 + 0.8) / 2, word: 'hugging face', start: 0, end: 12 },
      { entity_group: 'LOC', score: 0.725, word: 'new york', start: 23, end: 31 },
    ]);
  });

  it('B- starts a new group even after the same tag; labels without B-/I- continue; ignore_labels applies to groups', () => {
    const e = (word: string, index: number, k: number): PreEntity => {
      const scores = [0, 0, 0, 0, 0, 0];
      scores[k] = 0.9;
      scores[(k + 1) % 6] = 0.1;
      return { word, start: index * 2, end: index * 2 + 1, index, isSubword: false, scores };
    };
    const l = [...labels, 'MISC'];
    const tokens = [e('a', 1, 3), e('b', 2, 3), e('c', 3, 4), e('d', 4, 5), e('e', 5, 5), e('f', 6, 0)];
    const got = aggregateEntities(tokens, 'simple', { labels: l, joinTokens: join, ignoreLabels: [] });
    expect(got.map((g) => [g.entity_group, g.word, g.start, g.end])).toEqual([
      ['LOC', 'a', 2, 3],
      ['LOC', 'b c', 4, 7],
      ['MISC', 'd e', 8, 11],
      ['O', 'f', 12, 13],
    ]);
    expect(aggregateEntities(tokens, 'simple', { labels: l, joinTokens: join, ignoreLabels: ['LOC'] }).map((g) => g.entity_group)).toEqual(['MISC', 'O']);
  });

  it('rejects an unknown strategy and scores of the wrong width', () => {
    expect(() => aggregateEntities(pre, 'mean' as 'max', opts)).toThrow(/aggregation_strategy.*none \| simple \| first \| average \| max.*"mean"/);
    expect(() => aggregateEntities(pre, 'none', { labels: ['O'], joinTokens: join })).toThrow(/scores of token 1.*1 \(one per label\).*5/);
  });
});

describe('gatherPreEntities (HF gather_pre_entities)', () => {
  it('drops special tokens, marks ## pieces as sub-words, gives unknown tokens their text', () => {
    const tok = BertTokenizer.fromTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'new', 'york', 'hu', '##gging']);
    const text = 'Hugging New Zürich';
    const enc = tok.encode(text);
    expect(enc.tokens).toEqual(['[CLS]', 'hu', '##gging', 'new', '[UNK]', '[SEP]']);
    const scores = enc.ids.map(() => [1, 0]);
    const p = gatherPreEntities({ text, ids: enc.ids, tokens: enc.tokens, offsets: enc.offsets, specialTokensMask: enc.specialTokensMask, unkTokenId: tok.unkTokenId }, scores);
    expect(p.map((x) => [x.word, x.index, x.start, x.end, x.isSubword])).toEqual([
      ['hu', 1, 0, 2, false],
      ['##gging', 2, 2, 7, true],
      ['new', 3, 8, 11, false],
      ['Zürich', 4, 12, 18, false],
    ]);
  });
});
