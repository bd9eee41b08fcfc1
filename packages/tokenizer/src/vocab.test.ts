// vocab.txt parsing: "\n" only, "\r\n" tolerated, final newline ignored, U+2028 entries kept.
import { readFileSync } from 'node:fs';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { VocabError } from './errors.js';
import { parseVocabTxt, Vocab } from './vocab.js';

describe('parseVocabTxt', () => {
  it('splits on \\n only, drops one \\r per line and the final newline, never trims', () => {
    expect(parseVocabTxt('[UNK]\r\n a\n\u2028\n##\u2028\nb\n')).toEqual(['[UNK]', ' a', '\u2028', '##\u2028', 'b']);
    expect(parseVocabTxt('x\ny')).toEqual(['x', 'y']);
    expect(parseVocabTxt('x\n\ny\n')).toEqual(['x', '', 'y']);
  });

  it('gives the last id to a duplicated token, like a HashMap insert', () => {
    const v = new Vocab(['[UNK]', 'a', 'a']);
    expect(v.map.get('a')).toBe(2);
    expect(v.tokens[1]).toBe('a');
    expect(() => new Vocab([])).toThrow(VocabError);
    expect(Vocab.fromObject({ '[UNK]': 0, b: 2 }).tokens).toEqual(['[UNK]', '', 'b']);
    expect(() => Vocab.fromObject({ '[UNK]': 0, b: 1e9 })).toThrow(VocabError);
  });

  const chinese = 'models/bert-base-chinese-tokenizer/vocab.txt';
  it.skipIf(sharedMissing(chinese) !== null)('keeps bert-base-chinese ids (U+2028 at 343 and 13502)', () => {
    const tokens = parseVocabTxt(readFileSync(sharedPath(chinese), 'utf8'));
    expect(tokens.length).toBe(21128);
    expect(tokens[343]).toBe('\u2028');
    expect(tokens[13502]).toBe('##\u2028');
    expect(tokens.indexOf('你')).toBe(872);
  });
});
