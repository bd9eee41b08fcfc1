// Decoding: ## pieces glued, spaces before punctuation and inside contractions cleaned up like transformers.
import { describe, expect, it } from 'vitest';
import { cleanupTokenizationSpaces, decodeWordPieces } from './decoder.js';

describe('decodeWordPieces', () => {
  it('glues ## pieces and separates words with one space', () => {
    expect(decodeWordPieces(['un', '##aff', '##able', 'fox'], '##', false)).toBe('unaffable fox');
    // A leading continuation piece is kept as it is (HF decodes token 0 unchanged).
    expect(decodeWordPieces(['##s', 'cat'], '##', false)).toBe('##s cat');
  });

  it("cleans up like transformers' clean_up_tokenization, across tokens too", () => {
    expect(decodeWordPieces(['don', "'", 't', 'go', ',', 'it', "'", 's', 'late', '!'])).toBe("don't go, it's late!");
    expect(decodeWordPieces(['i', 'do', 'not', 'know', '?'])).toBe("i don't know?");
    expect(cleanupTokenizationSpaces("a . b ' c")).toBe("a. b'c");
  });
});
