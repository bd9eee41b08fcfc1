// Unit tests on a tiny inline vocabulary (25 tokens): exact tokens, ids and offsets.
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import { TokenizerConfigError, TruncationError, VocabError } from './errors.js';

const VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'quick', 'brown', 'fox', '##es', 'jump', '##ed', 'over',
  'lazy', 'dog', '.', ',', '!', 'cafe', 'un', '##believ', '##able', '中', 'σ', '##σ',
];
const id = (t: string): number => VOCAB.indexOf(t);
const uncased = BertTokenizer.fromTokens(VOCAB, { lowercase: true });
const cased = BertTokenizer.fromTokens(VOCAB, { lowercase: false });

describe('BertTokenizer.encode', () => {
  it('splits words, punctuation and ## pieces with offsets into the original text', () => {
    const e = uncased.encode('The quick brown foxes jumped.');
    expect(e.tokens).toEqual(['[CLS]', 'the', 'quick', 'brown', 'fox', '##es', 'jump', '##ed', '.', '[SEP]']);
    expect(e.ids).toEqual([2, 5, 6, 7, 8, 9, 10, 11, 15, 3]);
    expect(e.offsets).toEqual([[0, 0], [0, 3], [4, 9], [10, 15], [16, 19], [19, 21], [22, 26], [26, 28], [28, 29], [0, 0]]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 3, 3, 4, 4, 5, null]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(e.attentionMask).toEqual(new Array(10).fill(1));
    expect(e.sequenceIds).toEqual([null, 0, 0, 0, 0, 0, 0, 0, 0, null]);
  });

  it('strips accents (NFC and NFD input) and maps offsets to the original code units', () => {
    expect(uncased.encode('Café!', null, { addSpecialTokens: false }).offsets).toEqual([[0, 4], [4, 5]]);
    const nfd = uncased.encode('Cafe\u0301 un', null, { addSpecialTokens: false });
    expect(nfd.tokens).toEqual(['cafe', 'un']);
    expect(nfd.offsets).toEqual([[0, 4], [6, 8]]); // the dropped mark belongs to no token, as in HF
    // The cased tokenizer keeps the accent, and "Café" is not in the vocabulary.
    expect(cased.tokenize('Café')).toEqual(['[UNK]']);
  });

  it('lowercases code point by code point (no final sigma, as Rust char::to_lowercase)', () => {
    expect(uncased.tokenize('ΣΣ')).toEqual(['σ', '##σ']);
  });

  it('removes control characters inside a word and keeps the word whole', () => {
    const e = uncased.encode('fo\u0000x\u200b!', null, { addSpecialTokens: false });
    expect(e.tokens).toEqual(['fox', '!']);
    expect(e.offsets).toEqual([[0, 4], [5, 6]]);
  });

  it('isolates CJK ideographs and counts astral characters as two code units', () => {
    const e = uncased.encode('the中dog 😀 fox', null, { addSpecialTokens: false });
    expect(e.tokens).toEqual(['the', '中', 'dog', '[UNK]', 'fox']);
    expect(e.offsets).toEqual([[0, 3], [3, 4], [4, 7], [8, 10], [11, 14]]);
  });

  it('recognises special tokens written in the text, case-sensitively', () => {
    const e = uncased.encode('the[MASK] dog [mask]', null, { addSpecialTokens: false });
    expect(e.tokens).toEqual(['the', '[MASK]', 'dog', '[UNK]', '[UNK]', '[UNK]']);
    expect(e.ids.slice(0, 2)).toEqual([id('the'), id('[MASK]')]);
    expect(e.offsets.slice(0, 3)).toEqual([[0, 3], [3, 9], [10, 13]]);
    expect(e.wordIds).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('turns words longer than maxInputCharsPerWord code points into one [UNK]', () => {
    const short = BertTokenizer.fromTokens(VOCAB, { maxInputCharsPerWord: 5 });
    expect(short.tokenize('unbelievable fox')).toEqual(['[UNK]', 'fox']);
    expect(uncased.tokenize('unbelievable')).toEqual(['un', '##believ', '##able']);
  });

  it('encodes pairs with type ids 0/1 and per-sequence word ids and offsets', () => {
    const e = uncased.encode('lazy dog', 'the fox!');
    expect(e.tokens).toEqual(['[CLS]', 'lazy', 'dog', '[SEP]', 'the', 'fox', '!', '[SEP]']);
    expect(e.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(e.sequenceIds).toEqual([null, 0, 0, null, 1, 1, 1, null]);
    expect(e.wordIds).toEqual([null, 0, 1, null, 0, 1, 2, null]);
    expect(e.offsets).toEqual([[0, 0], [0, 4], [5, 8], [0, 0], [0, 3], [4, 7], [7, 8], [0, 0]]);
  });

  it('exposes special token ids looked up in the vocabulary', () => {
    expect([uncased.padTokenId, uncased.unkTokenId, uncased.clsTokenId, uncased.sepTokenId, uncased.maskTokenId]).toEqual([0, 1, 2, 3, 4]);
    expect(uncased.vocabSize).toBe(25);
    expect(uncased.tokenToId('fox')).toBe(8);
    expect(uncased.idToToken(24)).toBe('##σ');
  });

  it('rejects a vocabulary without [UNK] with a VocabError naming it', () => {
    expect(() => BertTokenizer.fromTokens(['a', 'b', '##c'])).toThrow(VocabError);
    expect(() => BertTokenizer.fromTokens(['a', 'b', '##c'])).toThrow(/\[UNK\]/);
    expect(() => BertTokenizer.fromTokens(['[UNK]', 'a']).padTokenId).toThrow(VocabError);
  });

  it('names a non-string input instead of failing somewhere inside', () => {
    expect(() => uncased.encode(undefined as unknown as string)).toThrow(TokenizerConfigError);
    expect(() => uncased.encodeBatch([['a', 3 as unknown as string]])).toThrow(/pair: expected a string/);
  });
});

describe('truncation, overflow and padding', () => {
  const text = 'the quick brown fox jumped over the lazy dog';
  it('cuts to maxLength with stride-overlapping overflow windows that keep their offsets', () => {
    const e = uncased.encode(text, null, { truncation: true, maxLength: 6, stride: 1, returnOverflowing: true });
    expect(e.tokens).toEqual(['[CLS]', 'the', 'quick', 'brown', 'fox', '[SEP]']);
    expect(e.overflowing.map((o) => o.tokens.slice(1, -1))).toEqual([
      ['fox', 'jump', '##ed', 'over'],
      ['over', 'the', 'lazy', 'dog'],
    ]);
    expect(e.overflowing[1].offsets.slice(1, -1)).toEqual([[27, 31], [32, 35], [36, 40], [41, 44]]);
  });

  it('only_second truncates the pair and throws a TruncationError when it cannot', () => {
    const e = uncased.encode('lazy dog', text, { truncation: 'only_second', maxLength: 8 });
    expect(e.tokens).toEqual(['[CLS]', 'lazy', 'dog', '[SEP]', 'the', 'quick', 'brown', '[SEP]']);
    expect(() => uncased.encode(text, 'dog', { truncation: 'only_second', maxLength: 8 })).toThrow(TruncationError);
    expect(() => uncased.encode(text, null, { truncation: true, maxLength: 6, stride: 4 })).toThrow(TokenizerConfigError);
  });

  it('pads a batch to the longest, to a multiple, on the left or to maxLength', () => {
    const batch = uncased.encodeBatch(['the dog', ['lazy fox', 'the dog!']], { padding: true, padToMultipleOf: 3 });
    expect(batch.map((b) => b.ids.length)).toEqual([9, 9]);
    expect(batch[0].ids).toEqual([2, 5, 14, 3, 0, 0, 0, 0, 0]);
    expect(batch[0].attentionMask).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(batch[0].specialTokensMask).toEqual([1, 0, 0, 1, 1, 1, 1, 1, 1]);
    const left = uncased.encode('the dog', null, { padding: 'max_length', maxLength: 6, paddingSide: 'left' });
    expect(left.tokens).toEqual(['[PAD]', '[PAD]', '[CLS]', 'the', 'dog', '[SEP]']);
    expect(left.offsets[0]).toEqual([0, 0]);
    expect(left.wordIds).toEqual([null, null, null, 0, 1, null]);
    const huge = uncased.encode('the dog', null, { padding: 'max_length', maxLength: 300_000, paddingSide: 'left' });
    expect(huge.ids.length).toBe(300_000);
    expect(huge.ids.slice(-4)).toEqual([2, 5, 14, 3]);
  });
});

describe('decode', () => {
  it('joins ## pieces and cleans spaces before punctuation, optionally skipping specials', () => {
    const ids = uncased.encode('The quick, unbelievable fox!').ids;
    expect(uncased.decode(ids)).toBe('[CLS] the quick, unbelievable fox! [SEP]');
    expect(uncased.decode(ids, { skipSpecialTokens: true })).toBe('the quick, unbelievable fox!');
    expect(uncased.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: false })).toBe(
      'the quick , unbelievable fox !',
    );
  });
});
