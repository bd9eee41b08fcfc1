import { Rng } from '@bertkit/backend';
import { describe, expect, it } from 'vitest';
import { resolveDataOptions } from './data-config.js';
import { vocabInfo } from './instances-vocab.js';
import { tinyTokenizer } from './instances.test-helpers.js';
import { createMaskedLmPredictions, pythonRound } from './masking.js';

// 99 entries: specials, 9 words with ## pieces, fillers.
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', '##aff', '##able', 'play', '##ing', 'the', 'cat', 'sat', 'on'];
while (VOCAB.length < 99) VOCAB.push(`f${VOCAB.length}`);
const tok = tinyTokenizer(VOCAB);
const vocab = vocabInfo(tok);
const ids = (text: string): number[] => tok.tokenize(text).map((t) => tok.tokenToId(t)!);
/** [CLS] a [SEP] b [SEP] */
const pair = (a: string, b: string): Int32Array => Int32Array.from([vocab.cls, ...ids(a), vocab.sep, ...ids(b), vocab.sep]);

describe('pythonRound', () => {
  it('rounds half to even like Python 3', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, 19.2].map(pythonRound)).toEqual([0, 2, 2, 4, 2, 3, 19]);
  });
});

describe('createMaskedLmPredictions', () => {
  const tokens = pair('the cat sat on the cat unaffable playing the cat', 'sat on the cat the cat sat playing on the');
  it('predicts round(n * 0.15) positions, never a special token, labels = original ids, sorted', () => {
    expect(tokens.length).toBe(27);
    for (let seed = 0; seed < 30; seed++) {
      const m = createMaskedLmPredictions(tokens, resolveDataOptions(), vocab, new Rng(seed));
      expect(m.positions.length).toBe(pythonRound(27 * 0.15)); // 4
      for (let k = 0; k < m.positions.length; k++) {
        const p = m.positions[k];
        if (k > 0) expect(p).toBeGreaterThan(m.positions[k - 1]);
        expect(vocab.isSpecial[tokens[p]]).toBe(0);
        expect(m.labels[k]).toBe(tokens[p]);
      }
      for (let i = 0; i < tokens.length; i++) if (!m.positions.includes(i)) expect(m.inputIds[i]).toBe(tokens[i]);
      expect(m.inputIds[0]).toBe(vocab.cls);
    }
  });

  it('caps at maxPredictionsPerSeq and predicts at least one', () => {
    const m = createMaskedLmPredictions(tokens, resolveDataOptions({ maxPredictionsPerSeq: 2 }), vocab, new Rng(1));
    expect(m.positions.length).toBe(2);
    const short = createMaskedLmPredictions(pair('cat', 'sat'), resolveDataOptions(), vocab, new Rng(1));
    expect(short.positions.length).toBe(1);
  });

  it('the replacement split is configurable: 100/0/0 and 0/0/100', () => {
    const all = resolveDataOptions({ mask: 1, random: 0, keep: 0 });
    const none = resolveDataOptions({ mask: 0, random: 0, keep: 1 });
    for (let seed = 0; seed < 10; seed++) {
      const m = createMaskedLmPredictions(tokens, all, vocab, new Rng(seed));
      for (const p of m.positions) expect(m.inputIds[p]).toBe(vocab.mask);
      expect(createMaskedLmPredictions(tokens, none, vocab, new Rng(seed)).inputIds).toEqual(tokens);
    }
  });

  it('whole-word masking takes a word with all its ## pieces', () => {
    const opts = resolveDataOptions({ wholeWordMask: true, maskedLmProb: 0.5, maxPredictionsPerSeq: 20 });
    const words = pair('unaffable playing unaffable', 'playing unaffable');
    // [CLS] un ##aff ##able play ##ing un ##aff ##able [SEP] play ##ing un ##aff ##able [SEP]
    expect(words.length).toBe(16);
    let sawWord = false;
    for (let seed = 0; seed < 30; seed++) {
      const m = createMaskedLmPredictions(words, opts, vocab, new Rng(seed));
      const chosen = new Set(m.positions);
      for (const p of chosen) {
        // every chosen piece's whole word is chosen: its neighbours inside the word too
        if (vocab.isContinuation[words[p]]) expect(chosen.has(p - 1)).toBe(true);
        if (p + 1 < words.length && vocab.isContinuation[words[p + 1]]) expect(chosen.has(p + 1)).toBe(true);
      }
      expect(m.positions.length).toBeLessThanOrEqual(pythonRound(16 * 0.5));
      if (chosen.has(1)) sawWord = true;
    }
    expect(sawWord).toBe(true);
  });

  it('same seed → same masks, different seed → different', () => {
    const o = resolveDataOptions();
    expect(createMaskedLmPredictions(tokens, o, vocab, new Rng(7))).toEqual(createMaskedLmPredictions(tokens, o, vocab, new Rng(7)));
    const a = Array.from({ length: 5 }, (_, s) => createMaskedLmPredictions(tokens, o, vocab, new Rng(s)).positions.join());
    expect(new Set(a).size).toBeGreaterThan(1);
  });
});
