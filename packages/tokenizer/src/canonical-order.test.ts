// Combining marks around a mark that strip_accents keeps (U+302E HANGUL SINGLE DOT TONE MARK, class 224; U+1D165
// MUSICAL SYMBOL COMBINING STEM, class 216), on a 16-token vocabulary. Every expected token and offset below was
// produced by HF tokenizers 0.22.2 (Python binding) with this same vocabulary (tokenizer.toJSON()). They follow
// from HF's whole-string NFD (`NormalizedString::nfd`, unicode-normalization-alignments sorting each run of
// non-starters by class) and `NormalizedString::transform_range`, which gives the k-th character with change 0 the
// alignment of the k-th input character: a kept mark moved forward by the sort takes the range of the removed mark
// whose place it took. `filter` (dropping Mn) keeps the survivors' alignments, and a leading removed run is skipped
// through `initial_offset`, so a kept character after removed marks keeps its own range.
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';

const VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', '##b', 'e', 'x', '\u4e00', '\u302e', '##\u302e', '\u{1d165}',
  '##\u{1d165}', '\u{1d158}',
];
const tok = BertTokenizer.fromTokens(VOCAB, { lowercase: true });

type Case = [text: string, tokens: string[], offsets: [number, number][]];

function check(t: BertTokenizer, cases: Case[]): void {
  for (const [text, tokens, offsets] of cases) {
    const e = t.encode(text, null, { addSpecialTokens: false });
    expect({ text, tokens: e.tokens, offsets: e.offsets }).toEqual({ text, tokens, offsets });
  }
}

describe('removed marks keep the next character on its own range (no reordering)', () => {
  it('U+0E48 (Mn, class 107) before U+302E (Mc, class 224): [1, 2], as HF', () => {
    const e = tok.encode('\u0e48\u302e');
    expect(e.tokens).toEqual(['[CLS]', '\u302e', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [1, 2], [0, 0]]);
  });

  it('at the start, in a word, after whitespace, before CJK', () => {
    check(tok, [
      ['\u0e48\u0e48\u302e', ['\u302e'], [[2, 3]]],
      ['\u0e48a', ['a'], [[1, 2]]],
      ['\u0e48\u0e48a', ['a'], [[2, 3]]],
      ['a\u0e48b', ['a', '##b'], [[0, 1], [2, 3]]],
      ['a\u0e48\u302e', ['a', '##\u302e'], [[0, 1], [2, 3]]],
      ['a \u0e48\u302e', ['a', '\u302e'], [[0, 1], [3, 4]]],
      ['\u0e48\u4e00', ['\u4e00'], [[1, 2]]],
      ['a\u0e48\u4e00', ['a', '\u4e00'], [[0, 1], [2, 3]]],
      // U+0E31 is Mn but a starter (class 0): it ends the run, U+302E is not reordered with U+0301.
      ['\u0301\u0e31\u302e', ['\u302e'], [[2, 3]]],
      ['\u0301 \u302e', ['\u302e'], [[2, 3]]],
      // U+11938 (Unicode 13) decomposes in this engine, not in HF (Unicode 9): a starter, not a kept mark.
      ['\u0301\u{11938}', ['[UNK]'], [[1, 3]]],
    ]);
  });

  it('in the second sequence of a pair, with offsets into that sequence', () => {
    for (const [a, first] of [['x', 'x'], ['\u0301\u302e', '\u302e']]) {
      const e = tok.encode(a, '\u0e48\u302e');
      expect(e.tokens).toEqual(['[CLS]', first, '[SEP]', '\u302e', '[SEP]']);
      expect(e.offsets).toEqual([[0, 0], [0, 1], [0, 0], [1, 2], [0, 0]]);
      expect(e.sequenceIds).toEqual([null, 0, null, 1, null]);
    }
  });
});

describe('canonical ordering moves a kept mark onto a removed mark’s range', () => {
  it('U+0301 (class 230) before U+302E (class 224): NFD swaps them, U+302E takes [0, 1]', () => {
    check(tok, [
      ['\u0301\u302e', ['\u302e'], [[0, 1]]],
      ['e\u0301\u302e', ['e', '##\u302e'], [[0, 1], [1, 2]]],
      // Precomposed é: the U+0301 of its decomposition has change 1, so U+302E still takes its own range.
      ['\u00e9\u302e', ['e', '##\u302e'], [[0, 1], [1, 2]]],
      // clean_text removes U+200D before NFD: the marks on either side form one run.
      ['\u0301\u200d\u302e', ['\u302e'], [[0, 1]]],
      // Sorted: U+0334 (1), U+302E (224), U+0301 (230); U+302E is second, so it takes the second range.
      ['\u0334\u0301\u302e', ['\u302e'], [[1, 2]]],
      ['\u0e31\u0301\u302e', ['\u302e'], [[1, 2]]],
      ['a\u0316\u0301\u0334\u302e', ['a', '##\u302e'], [[0, 1], [3, 4]]],
    ]);
  });

  it('astral marks: ranges count UTF-16 units, and two kept marks are reordered in the text too', () => {
    check(tok, [
      ['\u0301\u{1d165}', ['\u{1d165}'], [[0, 1]]],
      // U+1D15F decomposes to U+1D158 U+1D165 (change 1); U+0334 (class 1) sorts before U+1D165 (216).
      ['\u{1d15f}\u0334', ['\u{1d158}', '##\u{1d165}'], [[0, 2], [2, 3]]],
      // U+1D165 (216) sorts before U+302E (224): the word is "\u{1d165}\u302e", not "\u302e\u{1d165}".
      ['\u302e\u{1d165}', ['\u{1d165}', '##\u302e'], [[0, 1], [1, 3]]],
    ]);
  });

  it('leaves text without a kept mark untouched, and the cased pipeline (no NFD) aligns by origin', () => {
    check(tok, [['e\u0301\u0316b', ['e', '##b'], [[0, 1], [3, 4]]]]);
    const cased = BertTokenizer.fromTokens(VOCAB, { lowercase: false });
    check(cased, [['\u0301\u302e', ['[UNK]'], [[0, 2]]]]);
  });

  it('added tokens with normalized: true see the reordered, realigned text', () => {
    const json = JSON.parse(tok.toJSON()) as { added_tokens: Record<string, unknown>[] };
    json.added_tokens.push({ id: 15, content: 'x\u302e', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false });
    const withAdded = BertTokenizer.fromJSON(JSON.stringify(json));
    check(withAdded, [
      ['X\u0301\u302e', ['x\u302e'], [[0, 2]]],
      ['x\u0334\u0301\u302e', ['x\u302e'], [[0, 3]]],
      ['ax\u302e\u0301', ['a', 'x\u302e'], [[0, 1], [1, 3]]],
      ['\u0301\u302e x\u302e', ['\u302e', 'x\u302e'], [[0, 1], [3, 5]]],
    ]);
  });
});
