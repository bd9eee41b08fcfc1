// The in-place word cache: hits compare the text itself, and the bounded table starts afresh when half full.
import { describe, expect, it } from 'vitest';
import { HASH_SEED, hashStep, hashString, WordCache } from './word-cache.js';

const identity = new Uint16Array(65536).map((_, i) => i);

function hashOf(text: string, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashStep(h, identity[text.charCodeAt(i)]);
  return h;
}

describe('WordCache', () => {
  it('finds a word by a slice of the text and by string, and misses different words with the same hash', () => {
    const cache = new WordCache(4);
    const v = Int32Array.of(7, 3);
    cache.set('cat', hashString('cat'), v);
    const text = 'the cat sat';
    expect(cache.getSlice(text, 4, 7, hashOf(text, 4, 7), identity)).toBe(v);
    expect(cache.get('cat', hashString('cat'))).toBe(v);
    // Forced collision: same hash, different key.
    expect(cache.getSlice(text, 8, 11, hashString('cat'), identity)).toBeUndefined();
  });

  it('clears itself at half load and stays correct afterwards', () => {
    const cache = new WordCache(3); // 8 slots: cleared when the 5th word arrives
    const words = ['a', 'b', 'c', 'd', 'e', 'f'];
    words.forEach((w, i) => cache.set(w, hashString(w), Int32Array.of(i, 1)));
    expect(cache.get('a', hashString('a'))).toBeUndefined();
    expect(cache.get('e', hashString('e'))?.[0]).toBe(4);
    expect(cache.get('f', hashString('f'))?.[0]).toBe(5);
  });
});
