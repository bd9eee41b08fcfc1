import { describe, expect, it } from 'vitest';
import { bertConfig } from './config.js';
import { ModelDirError, checkVocabSize, parseJsonFile } from './model-files.js';

describe('checkVocabSize', () => {
  const config = bertConfig({ vocabSize: 99, hiddenSize: 40, numAttentionHeads: 5 });

  it('accepts a vocabulary as large as vocab_size or smaller (HF pads embedding tables)', () => {
    expect(() => checkVocabSize(config, 99)).not.toThrow();
    expect(() => checkVocabSize(config, 97)).not.toThrow();
  });

  it('rejects a larger vocabulary, naming both files, vocab_size, the expected and the actual size', () => {
    expect(() => checkVocabSize(config, 100)).toThrow(ModelDirError);
    expect(() => checkVocabSize(config, 100, { vocab: 'm/vocab.txt', config: 'm/config.json' })).toThrow(
      'm/vocab.txt: expected at most 99 tokens (vocab_size in m/config.json, the rows of the word-embedding table), ' +
        'got 100 tokens: ids 99..99 have no embedding',
    );
    expect(() => checkVocabSize(config, 0)).toThrow('vocab.txt: expected a vocabulary of at least one token, got 0 tokens');
  });
});

describe('parseJsonFile', () => {
  it('names the file and what JSON.parse said', () => {
    expect(parseJsonFile('{"a": 1}', 'x.json')).toEqual({ a: 1 });
    expect(() => parseJsonFile('{"a": ', 'dir/x.json')).toThrow(/^dir\/x\.json: expected valid JSON, got .*JSON/);
  });
});
