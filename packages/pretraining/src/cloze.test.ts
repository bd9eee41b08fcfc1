import { Rng } from '@bertkit/backend';
import { describe, expect, it } from 'vitest';
import { BigramCloze, clozeAccuracy, clozeWords, makeClozeItems, splitSentences } from './cloze.js';

describe('cloze items', () => {
  it('splits running text at sentence ends, keeping abbreviations-free sentences whole', () => {
    expect(splitSentences('It was late.  "Who is there?" she asked. Nobody\nanswered!')).toEqual(['It was late.', '"Who is there?" she asked.', 'Nobody answered!']);
    expect(splitSentences('  ')).toEqual([]);
  });

  it('tokenizes words with offsets, lower-cased, apostrophes kept inside words', () => {
    expect(clozeWords("Don’t go, Ann.").map((w) => w.word)).toEqual(["don't", 'go', ',', 'ann', '.']);
    const s = 'The cat sat.';
    const w = clozeWords(s)[1];
    expect(s.slice(w.start, w.end)).toBe('cat');
  });

  it('masks one alphabetic word per sentence, seeded, and records its neighbours', () => {
    const sentences = ['The old man sat by the fire and slept.', 'Short one.', 'She opened the door of the little house slowly.'];
    const a = makeClozeItems(sentences, new Rng(1), { count: 10 });
    const b = makeClozeItems(sentences, new Rng(1), { count: 10 });
    expect(a).toEqual(b);
    expect(a).toHaveLength(2); // 'Short one.' has fewer than 6 words
    for (const it of a) {
      expect(it.text.match(/\[MASK\]/g)).toHaveLength(1);
      const source = sentences.find((s) => s.toLowerCase() === it.text.replace('[MASK]', it.answer).toLowerCase());
      expect(source).toBeDefined();
      const words = clozeWords(source!).map((w) => w.word);
      const k = words.indexOf(it.answer);
      expect([words[k - 1] ?? '<s>', words[k + 1] ?? '</s>']).toEqual([it.left, it.right]);
    }
  });
});

describe('BigramCloze', () => {
  const model = new BigramCloze().add(['the cat sat on the mat .', 'the dog sat on the rug .', 'a cat ate the fish .', 'the cat sat down .']);

  it('prefers the word seen between both neighbours', () => {
    expect(model.predict('the', 'sat', 2)).toEqual(['cat', 'dog']);
    expect(model.predict('sat', 'the', 1)).toEqual(['on']);
  });

  it('falls back to unigram frequency for unseen contexts and never proposes punctuation', () => {
    const p = model.predict('zebra', 'quokka', 3);
    expect(p[0]).toBe('the');
    expect(p.every((w) => /^[a-z]+$/.test(w))).toBe(true);
  });
});

describe('clozeAccuracy', () => {
  it('counts top-1 and top-k hits, case-insensitively', () => {
    const items = [
      { text: '[MASK] x', answer: 'the', left: '<s>', right: 'x' },
      { text: 'y [MASK]', answer: 'cat', left: 'y', right: '</s>' },
    ];
    expect(clozeAccuracy(items, [['The', 'a'], ['dog', 'cat']])).toEqual({ top1: 0.5, topK: 1, items: 2 });
    expect(() => clozeAccuracy(items, [['the']])).toThrow(/expected 2 lists, got 1/);
  });
});
