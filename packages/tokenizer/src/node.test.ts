// loadTokenizer / saveTokenizer on real directories.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import { VocabError } from './errors.js';
import { loadTokenizer, saveTokenizer } from './node.js';

const tmp = mkdtempSync(join(tmpdir(), 'bertkit-tok-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 11 tokens, including a U+2028 entry that splitlines()/trim() would destroy.
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', '##s', '\u2028', 'Sat', '.'];

describe('node helpers', () => {
  it('saveTokenizer writes tokenizer.json + vocab.txt + tokenizer_config.json that loadTokenizer reads back', async () => {
    const tok = BertTokenizer.fromTokens(VOCAB, { lowercase: false, modelMaxLength: 7 });
    const dir = join(tmp, 'saved');
    await saveTokenizer(tok, dir);
    expect(readFileSync(join(dir, 'vocab.txt'), 'utf8')).toBe(VOCAB.join('\n') + '\n');
    const back = await loadTokenizer(dir);
    expect(back.idToToken(8)).toBe('\u2028');
    const text = 'the cats Sat. the cats';
    expect(back.encode(text)).toEqual(tok.encode(text));
    expect(back.encode(text, null, { truncation: true }).ids).toEqual([2, 5, 6, 7, 9, 10, 3]);
  });

  it('throws a VocabError for a directory without tokenizer files', async () => {
    await expect(loadTokenizer(join(tmp, 'nothing-here'))).rejects.toBeInstanceOf(VocabError);
  });

  const uncased = 'models/bert-base-uncased-tokenizer';
  it.skipIf(sharedMissing(uncased) !== null)('loads bert-base-uncased (tokenizer.json + tokenizer_config.json)', async () => {
    const tok = await loadTokenizer(sharedPath(uncased));
    expect(tok.tokenize('Hello WORLD, unaffable!')).toEqual(['hello', 'world', ',', 'una', '##ffa', '##ble', '!']);
    const withMax = await loadTokenizer(sharedPath(uncased), { modelMaxLength: 5, lowercase: false });
    expect(withMax.normalizerOptions).toMatchObject({ lowercase: false, stripAccents: false });
    expect(withMax.encode('hello world is big', null, { truncation: true }).ids.length).toBe(5);
  });

  const cased = 'models/bert-base-cased-vocab';
  it.skipIf(sharedMissing(cased) !== null)('treats a bare cased vocab.txt as cased and reads maxLength from config.json', async () => {
    const tok = await loadTokenizer(sharedPath(cased));
    expect(tok.normalizerOptions.lowercase).toBe(false);
    expect(tok.modelMaxLength).toBe(512);
    expect(tok.encode('Hello world').ids).toEqual([101, 8667, 1362, 102]);
  });
});
