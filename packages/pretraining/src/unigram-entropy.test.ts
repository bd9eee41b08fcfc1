import { describe, expect, it } from 'vitest';
import { unigramEntropy } from './unigram-entropy.js';

const words = { tokenize: (s: string) => s.split(' ').filter((w) => w !== '') };

describe('unigramEntropy', () => {
  it('is ln(k) for k equally frequent tokens and 0 for one token', async () => {
    expect(await unigramEntropy([['a b c d', 'd c b a']], words)).toBeCloseTo(Math.log(4), 12);
    expect(await unigramEntropy([['a a'], ['a']], words)).toBe(0);
  });

  it('weights by frequency: p = (3/4, 1/4)', async () => {
    const p = [0.75, 0.25];
    expect(await unigramEntropy([['x x x y']], words)).toBeCloseTo(-p.reduce((s, q) => s + q * Math.log(q), 0), 12);
  });
});
