import { Rng } from '@bertkit/backend';
import { describe, expect, it } from 'vitest';
import { DataConfigError, resolveDataOptions } from './data-config.js';
import { createLtrInstances } from './instances-ltr.js';
import { generateInstances, tokenizeStream } from './instances-stream.js';
import { tokenizeDocuments, vocabInfo, type IdDocument } from './instances-vocab.js';
import { tinyTokenizer } from './instances.test-helpers.js';
import { createInstances, createPairsFromDocument, truncateSeqPair } from './instances.js';

// 5 specials + 94 word ids = vocab 99 (odd on purpose).
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...Array.from({ length: 94 }, (_, i) => `w${i}`)];
const tok = tinyTokenizer(VOCAB);
const vocab = vocabInfo(tok);
const W = (i: number): number => 5 + i;
// Pair tests use unique ids per position (beyond the 99 words) so that every run of tokens has one origin.
const big = { ...vocab, size: 100_000, isContinuation: new Uint8Array(100_000), isSpecial: new Uint8Array(100_000) };
big.isSpecial.set(vocab.isSpecial);

/** `n` documents of sentences with unique ids per document: doc d, sentence s has `len` tokens. */
function docs(n: number, sentences: number, len: (d: number, s: number) => number): IdDocument[] {
  let next = 0;
  return Array.from({ length: n }, (_, d) => Array.from({ length: sentences }, (_, s) => Array.from({ length: len(d, s) }, () => W(next++))));
}

describe('tokenizeDocuments', () => {
  it('maps sentences to ids and drops empty sentences and documents', () => {
    expect(tokenizeDocuments([['w1 w2', '  ', 'W3'], [], ['', ' ']], tok)).toEqual([[[W(1), W(2)], [W(3)]]]);
    expect(tokenizeDocuments([], tok)).toEqual([]);
  });
});

describe('truncateSeqPair', () => {
  it('trims the longer segment (B on ties) from random ends, keeping contiguous runs', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 50; t++) {
      const a = Array.from({ length: rng.randint(1, 30) }, (_, i) => i);
      const b = Array.from({ length: rng.randint(1, 30) }, (_, i) => 100 + i);
      const [la, lb] = [a.length, b.length];
      truncateSeqPair(a, b, 13, rng);
      expect(a.length + b.length).toBe(Math.min(la + lb, 13));
      // Only the longer side is cut, so when both were cut they end within one token of each other.
      if (a.length < la && b.length < lb) expect(Math.abs(a.length - b.length)).toBeLessThanOrEqual(1);
      if (a.length < la && b.length === lb) expect(a.length).toBeGreaterThanOrEqual(b.length);
      for (const s of [a, b]) for (let i = 1; i < s.length; i++) expect(s[i]).toBe(s[i - 1] + 1);
    }
  });
});

describe('createPairsFromDocument (create_instances_from_document)', () => {
  const opts = resolveDataOptions({ maxSeqLength: 64, shortSeqProb: 0 });
  const wide = resolveDataOptions({ maxSeqLength: 200, shortSeqProb: 0 });

  it('[CLS] A [SEP] B [SEP]; A then IsNext-B walk the document exactly once, in order (unused sentences put back)', () => {
    const all = docs(6, 12, (d, s) => 3 + ((d * 7 + s * 5) % 6));
    for (let seed = 0; seed < 20; seed++) {
      const rng = new Rng(seed);
      for (let di = 0; di < all.length; di++) {
        const pairs = createPairsFromDocument(all, di, wide, big, rng);
        const walked: number[] = [];
        for (const p of pairs) {
          const t = [...p.tokens];
          expect(t.length).toBeLessThanOrEqual(200);
          expect(t[0]).toBe(vocab.cls);
          expect(t[p.segmentBStart - 1]).toBe(vocab.sep);
          expect(t[t.length - 1]).toBe(vocab.sep);
          expect(t.filter((x) => x === vocab.sep).length).toBe(2);
          const a = t.slice(1, p.segmentBStart - 1);
          const b = t.slice(p.segmentBStart, -1);
          expect(a.length).toBeGreaterThan(0);
          expect(b.length).toBeGreaterThan(0);
          walked.push(...a);
          if (!p.isRandomNext) walked.push(...b);
        }
        // Documents of at most 96 tokens and a target of 197: no truncation happens here.
        expect(walked).toEqual(all[di].flat());
      }
    }
  });

  it('a NotNext B is a contiguous run from ANOTHER document, starting at a sentence boundary', () => {
    const all = docs(5, 10, () => 4);
    const owner = new Map<number, number>();
    all.forEach((d, i) => d.flat().forEach((id) => owner.set(id, i)));
    let random = 0;
    const rng = new Rng(11);
    for (let di = 0; di < 5; di++) {
      for (const p of createPairsFromDocument(all, di, opts, big, rng)) {
        const t = [...p.tokens];
        const a = t.slice(1, p.segmentBStart - 1);
        const b = t.slice(p.segmentBStart, -1);
        expect(a.every((id) => owner.get(id) === di)).toBe(true);
        const from = owner.get(b[0])!;
        expect(b.every((id, k) => owner.get(id) === from && (k === 0 || id === b[k - 1] + 1))).toBe(true);
        if (p.isRandomNext) {
          random++;
          expect(from).not.toBe(di);
        } else {
          expect(from).toBe(di);
          expect(b[0]).toBe(a[a.length - 1] + 1); // B continues A
        }
      }
    }
    expect(random).toBeGreaterThan(0);
  });

  it('a single-sentence chunk always gets a random B; a one-document corpus takes B from itself', () => {
    const one = [[[W(1), W(2), W(3)]]];
    const pairs = createPairsFromDocument(one, 0, opts, vocab, new Rng(0));
    expect(pairs).toHaveLength(1);
    expect(pairs[0].isRandomNext).toBe(true);
    expect([...pairs[0].tokens]).toEqual([vocab.cls, W(1), W(2), W(3), vocab.sep, W(1), W(2), W(3), vocab.sep]);
  });

  it('long sentences are truncated to maxSeqLength', () => {
    const all = docs(3, 4, () => 50);
    const o = resolveDataOptions({ maxSeqLength: 17, shortSeqProb: 0, maxPredictionsPerSeq: 3 });
    for (let di = 0; di < 3; di++) for (const p of createPairsFromDocument(all, di, o, big, new Rng(di))) expect(p.tokens.length).toBe(17);
  });

  it('shortSeqProb 1 gives targets drawn from [2, maxSeqLength - 3] (shorter instances)', () => {
    const all = docs(4, 40, () => 2);
    const short = createInstances(all, resolveDataOptions({ maxSeqLength: 64, shortSeqProb: 1, dupeFactor: 5 }), vocab, new Rng(5));
    const full = createInstances(all, resolveDataOptions({ maxSeqLength: 64, shortSeqProb: 0, dupeFactor: 5 }), vocab, new Rng(5));
    const mean = (xs: { inputIds: Int32Array }[]): number => xs.reduce((s, x) => s + x.inputIds.length, 0) / xs.length;
    expect(mean(short)).toBeLessThan(mean(full) * 0.8);
    expect(short.length).toBeGreaterThan(full.length);
  });
});

describe('createInstances (create_training_instances)', () => {
  // Ids folded into the 94 words so the documents can also be written as text.
  const all = docs(8, 9, (d, s) => 2 + ((d + s) % 7)).map((d) => d.map((s) => s.map((id) => W((id - 5) % 94))));
  const opts = resolveDataOptions({ maxSeqLength: 32, dupeFactor: 3, maxPredictionsPerSeq: 5 });

  it('same seed → identical instances; different seed → different', () => {
    const a = createInstances(all, opts, vocab, new Rng(42));
    const b = createInstances(all, opts, vocab, new Rng(42));
    const c = createInstances(all, opts, vocab, new Rng(43));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.length).toBeGreaterThan(3 * 8);
  });

  it('labels the masked positions with the original ids and sets the NSP label', () => {
    for (const x of createInstances(all, opts, vocab, new Rng(1))) {
      expect([0, 1]).toContain(x.nspLabel);
      expect(x.maskedPositions.length).toBe(x.maskedLabels.length);
      expect(x.maskedPositions.length).toBeLessThanOrEqual(5);
      for (const l of x.maskedLabels) expect(vocab.isSpecial[l]).toBe(0);
    }
  });

  it('empty corpus → no instances', () => {
    expect(createInstances([], opts, vocab, new Rng(0))).toEqual([]);
    expect(createLtrInstances([], opts, vocab, new Rng(0))).toEqual([]);
  });

  it('generateInstances over a stream equals createInstances per window', async () => {
    const text = all.map((d) => d.map((s) => s.map((id) => VOCAB[id]).join(' ')));
    const streamed = [];
    for await (const x of generateInstances(tokenizeStream([...text, [], ['']], tok), opts, vocab, new Rng(9), { windowDocuments: 5 })) streamed.push(x);
    const rng = new Rng(9);
    expect(streamed).toEqual([...createInstances(all.slice(0, 5), opts, vocab, rng), ...createInstances(all.slice(5), opts, vocab, rng)]);
  });
});

describe('resolveDataOptions', () => {
  it('fills google-research defaults', () => {
    expect(resolveDataOptions()).toEqual({ maxSeqLength: 128, shortSeqProb: 0.1, dupeFactor: 10, maskedLmProb: 0.15, maxPredictionsPerSeq: 20, mask: 0.8, random: 0.1, keep: 0.1, wholeWordMask: false });
  });
  it('rejects bad values naming field, expected and actual', () => {
    expect(() => resolveDataOptions({ maxSeqLength: 4 })).toThrow(DataConfigError);
    expect(() => resolveDataOptions({ maxSeqLength: 4 })).toThrow('maxSeqLength: expected an integer in [5, 65535], got 4');
    expect(() => resolveDataOptions({ mask: 0.8, random: 0, keep: 0.1 })).toThrow(/mask \+ random \+ keep: expected a sum of 1, got 0.9/);
    expect(() => resolveDataOptions({ maxPredictionsPerSeq: 200 })).toThrow(/maxPredictionsPerSeq: expected an integer in \[1, maxSeqLength=128\], got 200/);
    expect(() => resolveDataOptions({ shortSeqProb: 1.5 })).toThrow(/shortSeqProb/);
  });
});
