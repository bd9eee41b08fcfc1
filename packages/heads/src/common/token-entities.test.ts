import { describe, expect, it } from 'vitest';
import { groupEntities, labelWords } from './token-entities';

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
