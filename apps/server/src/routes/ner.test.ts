import { describe, expect, it } from 'vitest';
import { groupEntities } from './ner.js';

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

  it('treats labels without a prefix as one run per type, and an I- after O as a start', () => {
    const text = 'a b c d';
    expect(groupEntities(text, [w('X', 0, 1), w('X', 2, 3), w('O', 4, 5), w('I-X', 6, 7)]).map((e) => e.word)).toEqual(['a b', 'd']);
  });
});
