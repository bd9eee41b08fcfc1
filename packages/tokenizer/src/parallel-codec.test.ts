import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import type { Encoding } from './encoding.js';
import { packEncodings, unpackEncodings } from './parallel-codec.js';

// Eleven tokens: odd on purpose.
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', '##aff', '##able', 'hello', ',', 'world'].join('\n');

describe('parallel codec', () => {
  const tok = BertTokenizer.fromVocab(vocab);
  const idToToken = (id: number): string | undefined => tok.idToToken(id);

  it('round-trips encodings with pairs, padding, nulls and overflow windows', () => {
    const encodings = tok.encodeBatch(
      [['hello, unaffable world', 'world , hello'], ['', 'x']],
      { truncation: true, maxLength: 7, stride: 1, returnOverflowing: true, padding: true, paddingSide: 'left' },
    );
    expect(encodings[0].overflowing.length).toBeGreaterThan(0);
    const packed = packEncodings(encodings, idToToken);
    expect(packed.tokenAt).toEqual([]); // every token is its id's vocabulary entry
    expect(unpackEncodings(packed, idToToken)).toEqual(encodings);
  });

  it('carries tokens that are not their id entry', () => {
    const e: Encoding = {
      ids: [2, 1, 3],
      tokens: ['[CLS]', 'odd', '[SEP]'],
      typeIds: [0, 0, 0],
      attentionMask: [1, 1, 1],
      specialTokensMask: [1, 0, 1],
      offsets: [[0, 0], [0, 3], [0, 0]],
      wordIds: [null, 0, null],
      sequenceIds: [null, 0, null],
      overflowing: [],
    };
    const packed = packEncodings([e, e], idToToken);
    expect(packed.tokenAt).toEqual([1, 4]);
    expect(unpackEncodings(packed, idToToken)).toEqual([e, e]);
    expect(packed.data.length).toBe(2 * (2 + 8 * 3));
  });
});
