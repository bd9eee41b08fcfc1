import { describe, expect, it } from 'vitest';
import { trainWordPiece, TrainerError } from './trainer.js';
import { bertWordSplitter } from './trainer-words.js';

// Whitespace splitting keeps these cases independent of the BERT normaliser: they pin the merge algorithm itself.
const ws = (t: string): string[] => t.split(' ');

// The HF course's WordPiece/BPE example: hug×10 pug×5 pun×12 bun×4 hugs×5.
const hugs = [
  ...Array<string>(10).fill('hug'),
  ...Array<string>(5).fill('pug'),
  ...Array<string>(12).fill('pun'),
  ...Array<string>(4).fill('bun'),
  ...Array<string>(5).fill('hugs'),
];
const base = { specialTokens: ['[UNK]'], limitAlphabet: null, minFrequency: 0, splitWords: ws };

describe('trainWordPiece merges (hand-computed)', () => {
  it('builds specials, alphabet by code point, ## pieces, then merges by count with ties to the smaller ids', async () => {
    const { vocab, vocabText } = await trainWordPiece(hugs, { ...base, vocabSize: 1000 });
    // Pair counts: ##u##g 20 → ##u##n 16 → h##ug 15 → p##un 12 → then p##ug 5 and hug##s 5 tie: (p=5, ##ug=12)
    // beats (hug=14, ##s=11) on the smaller left id → b##un 4. Then no pair is left.
    expect(vocab).toEqual([
      '[UNK]', 'b', 'g', 'h', 'n', 'p', 's', 'u', '##u', '##n', '##g', '##s',
      '##ug', '##un', 'hug', 'pun', 'pug', 'hugs', 'bun',
    ]);
    expect(vocabText).toBe(vocab.map((t) => `${t}\n`).join(''));
  });

  it('stops at vocabSize and at minFrequency', async () => {
    const small = await trainWordPiece(hugs, { ...base, vocabSize: 14 });
    expect(small.vocab.slice(12)).toEqual(['##ug', '##un']);
    expect(small.vocab).toHaveLength(14);
    const frequent = await trainWordPiece(hugs, { ...base, vocabSize: 1000, minFrequency: 12 });
    expect(frequent.vocab.slice(12)).toEqual(['##ug', '##un', 'hug', 'pun']);
  });

  it('limits the alphabet to the most frequent characters and drops the others from words', async () => {
    // Character counts: u 41, g 20, p 17, n 16, h 15, s 5, b 4.
    const { vocab } = await trainWordPiece(hugs, { ...base, vocabSize: 1000, limitAlphabet: 5, initialAlphabet: ['z'] });
    // 'z' is forced in (counted as most frequent), so only 4 of the seen characters stay: s, b and h go.
    expect(vocab.slice(0, 6)).toEqual(['[UNK]', 'g', 'n', 'p', 'u', 'z']);
    expect(vocab).not.toContain('b');
    expect(vocab).not.toContain('##s');
    expect(vocab).toContain('pun');
    expect(vocab).not.toContain('hug');
  });

  it('reads async iterables lazily and counts words across items', async () => {
    async function* gen(): AsyncGenerator<string> {
      for (const w of hugs) yield `${w} ${w}`;
    }
    const a = await trainWordPiece(gen(), { ...base, vocabSize: 1000 });
    const b = await trainWordPiece(hugs, { ...base, vocabSize: 1000 });
    expect(a.vocab).toEqual(b.vocab); // doubled counts: same order of merges
  });

  it('streams: each text is split before the next is pulled, so nothing but the word counts is held', async () => {
    let pulled = 0;
    let maxAhead = 0;
    function* corpus(): Generator<string> {
      for (let i = 0; i < 50_000; i++) {
        pulled++;
        yield `w${i % 997} x${i % 13}`;
      }
    }
    const split = (t: string): string[] => {
      maxAhead = Math.max(maxAhead, pulled);
      pulled = 0;
      return t.split(' ');
    };
    const { vocab } = await trainWordPiece(corpus(), { ...base, splitWords: split, vocabSize: 50 });
    expect(maxAhead).toBe(1);
    expect(vocab).toHaveLength(50);
  });

  it('reports progress for both phases', async () => {
    const phases = new Set<string>();
    await trainWordPiece(hugs, { ...base, vocabSize: 1000, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['count', 'merge']);
  });

  it('rejects bad options and corpus items with typed errors naming the field', async () => {
    await expect(trainWordPiece(hugs, { ...base, vocabSize: 0 })).rejects.toThrow(TrainerError);
    await expect(trainWordPiece(hugs, { ...base, vocabSize: 0 })).rejects.toThrow(/vocabSize.*got 0/);
    await expect(trainWordPiece(hugs, { ...base, minFrequency: -1 })).rejects.toThrow(/minFrequency/);
    await expect(trainWordPiece(hugs, { ...base, initialAlphabet: ['ab'] })).rejects.toThrow(/initialAlphabet\[0\]/);
    await expect(trainWordPiece(hugs, { ...base, specialTokens: [''] })).rejects.toThrow(/specialTokens\[0\]/);
    await expect(trainWordPiece(['a b', 7 as unknown as string], base)).rejects.toThrow(/corpus item 1.*number/);
  });

  it('handles an empty corpus and astral characters as single code points', async () => {
    expect((await trainWordPiece([], base)).vocab).toEqual(['[UNK]']);
    const { vocab } = await trainWordPiece(['😀😀 😀😀'], { ...base, vocabSize: 1000 });
    expect(vocab).toEqual(['[UNK]', '😀', '##😀', '😀😀']);
  });
});

describe('bertWordSplitter (the default word splitting)', () => {
  it('splits like BertNormalizer + BertPreTokenizer: lowercase, accents, punctuation, CJK, controls', () => {
    const split = bertWordSplitter({ lowercase: true });
    expect(split('Héllo, WORLD!\u0000 你好 don\'t  \tx')).toEqual(['hello', ',', 'world', '!', '你', '好', 'don', "'", 't', 'x']);
    expect(bertWordSplitter({ lowercase: false })('Héllo WORLD')).toEqual(['Héllo', 'WORLD']);
    expect(split('')).toEqual([]);
    expect(split('the cat the cat the')).toEqual(['the', 'cat', 'the', 'cat', 'the']); // every occurrence
  });

  it('passes the normaliser options through (stripAccents defaults to lowercase)', async () => {
    const opts = { specialTokens: [], minFrequency: 0, vocabSize: 3 };
    expect((await trainWordPiece(['É'], opts)).vocab).toEqual(['e']);
    expect((await trainWordPiece(['É'], { ...opts, stripAccents: false })).vocab).toEqual(['é']);
    expect((await trainWordPiece(['É'], { ...opts, lowercase: false })).vocab).toEqual(['É']);
    expect((await trainWordPiece(['a中b'], { ...opts, handleChineseChars: false })).vocab).toEqual(['a', 'b', '中', '##中', '##b']);
  });

  it('uses another continuing-subword prefix when given one', async () => {
    const { vocab } = await trainWordPiece(hugs, { ...base, vocabSize: 1000, continuingSubwordPrefix: '@@' });
    expect(vocab.slice(8, 14)).toEqual(['@@u', '@@n', '@@g', '@@s', '@@ug', '@@un']);
    expect(vocab).toContain('hugs');
  });

  it('is what trainWordPiece uses by default (lowercase unless told otherwise)', async () => {
    const lower = await trainWordPiece(['Ab ab'], { specialTokens: [], minFrequency: 0 });
    expect(lower.vocab).toEqual(['a', 'b', '##b', 'ab']);
    const cased = await trainWordPiece(['Ab ab'], { specialTokens: [], minFrequency: 0, lowercase: false });
    expect(cased.vocab).toEqual(['A', 'a', 'b', '##b', 'Ab', 'ab']);
  });
});
