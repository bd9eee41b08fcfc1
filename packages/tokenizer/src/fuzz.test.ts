// Properties over random Unicode input: encode never throws, offsets stay inside the string and move forward,
// and text without [UNK] survives decode -> encode with the same ids.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import type { Encoding } from './encoding.js';

// 107 tokens: specials, every ASCII letter and digit as a word and as a ## piece, a few words, punctuation, CJK.
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
  ...LETTERS, ...LETTERS.map((c) => '##' + c),
  'the', 'cat', '##s', 'é', '中', '文', '.', ',', '!', '?', '-', "'", '(', ')', '[', ']', '#', '"', '😀', 'σ', '##σ',
  '$', '%', '&', '*', '+', '/', ':', ';', '<', '=', '>', '@', '\\', '^', '_', '`', '{', '|', '}', '~',
].slice(0, 107);
const tokUncased = BertTokenizer.fromTokens(VOCAB, { lowercase: true });
const tokCased = BertTokenizer.fromTokens(VOCAB, { lowercase: false });

function checkOffsets(e: Encoding, a: string, b: string | null): void {
  let last = [0, 0];
  for (let k = 0; k < e.ids.length; k++) {
    const [s, t] = e.offsets[k];
    const seq = e.sequenceIds[k];
    if (seq === null) {
      expect([s, t]).toEqual([0, 0]);
      continue;
    }
    const len = seq === 0 ? a.length : (b as string).length;
    expect(s).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThanOrEqual(len);
    expect(s).toBeLessThanOrEqual(t);
    if (k > 0 && e.sequenceIds[k - 1] === seq) {
      expect(s).toBeGreaterThanOrEqual(last[0]);
      expect(t).toBeGreaterThanOrEqual(last[1]);
    }
    last = [s, t];
  }
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.constantFrom('the', 'cat', 'CATS', ' ', 'É', 'e\u0301', '中文', '😀', '👨‍👩‍👧', '\ud800', '\u0000', '[MASK]', '.', 'ΣΣ'), { maxLength: 12 }).map((p) => p.join('')),
);

describe('properties', () => {
  it('never throws; offsets are inside the string, ordered and [0,0] for specials', () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: null }), fc.boolean(), (a, b, lower) => {
        const tok = lower ? tokUncased : tokCased;
        const e = tok.encode(a, b);
        expect(e.ids.length).toBe(e.offsets.length);
        checkOffsets(e, a, b);
      }),
      { seed: 3, numRuns: 1500 },
    );
  });

  it('text without [UNK] encodes to the same ids after decode', () => {
    const friendly = fc
      .array(fc.constantFrom('the', 'cat', 'cats', 'Cats', 'x9', ' ', '  ', '.', ',', '中', 'é', 'E\u0301', '😀', '[MASK]', 'σΣ', "'", '-', 'q', '\t'), { maxLength: 16 })
      .map((p) => p.join(''));
    let checked = 0;
    fc.assert(
      fc.property(friendly, fc.boolean(), (x, lower) => {
        const tok = lower ? tokUncased : tokCased;
        const ids = tok.encode(x, null, { addSpecialTokens: false }).ids;
        if (ids.includes(tok.unkTokenId)) return;
        checked++;
        const text = tok.decode(ids, { cleanUpTokenizationSpaces: false });
        expect(tok.encode(text, null, { addSpecialTokens: false }).ids).toEqual(ids);
      }),
      { seed: 5, numRuns: 1000 },
    );
    expect(checked).toBeGreaterThan(300);
  });

  it('encodes hostile input without throwing', () => {
    const big = 'a'.repeat(1 << 20);
    const e = tokUncased.encode(big);
    expect(e.tokens).toEqual(['[CLS]', '[UNK]', '[SEP]']);
    expect(e.offsets[1]).toEqual([0, 1 << 20]);
    const hostile = ['', '\ud800', '\udc00x', 'a\ud800b', '\u0000', '\u0000'.repeat(10), '👩‍👩‍👧‍👦🏳️‍🌈', 'é'.repeat(1 << 18), '中'.repeat(5000)];
    for (const text of hostile) {
      for (const tok of [tokUncased, tokCased]) {
        const enc = tok.encode(text, text);
        checkOffsets(enc, text, text);
      }
    }
    expect(tokUncased.encode('').tokens).toEqual(['[CLS]', '[SEP]']);
    expect(tokUncased.encode('a\ud800b', null, { addSpecialTokens: false }).offsets).toEqual([[0, 1], [2, 3]]);
  });
});
