// tokenizer.json load/save: round trip through our parser and through HF tokenizers' own loader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import { TokenizerJsonError, VocabError } from './errors.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', '##s', 'un', '##aff', '##able', ',', '!', '100'];

function loadHf(): { Tokenizer: { fromString(s: string): HfTokenizer } } | null {
  try {
    return createRequire(import.meta.url)('@anush008/tokenizers');
  } catch {
    return null;
  }
}
interface HfTokenizer {
  encode(a: string, b?: string | null): Promise<{ getIds(): number[]; getOffsets(): number[][] }>;
}
const hf = loadHf();

describe('tokenizer.json', () => {
  it('round-trips through toJSON / fromJSON with the same encodings', () => {
    const tok = BertTokenizer.fromTokens(VOCAB, { lowercase: true });
    const back = BertTokenizer.fromJSON(tok.toJSON());
    expect(back.vocabSize).toBe(VOCAB.length);
    expect(back.getVocab()).toEqual(tok.getVocab());
    const text = 'Hello, worlds! unaffable [MASK] 100';
    expect(back.encode(text, 'hello')).toEqual(tok.encode(text, 'hello'));
    expect(back.encode(text).tokens).toEqual(
      ['[CLS]', 'hello', ',', 'world', '##s', '!', 'un', '##aff', '##able', '[MASK]', '100', '[SEP]'],
    );
  });

  it('keeps vocab entries in id order, integer-like tokens included', () => {
    const json = JSON.parse(BertTokenizer.fromTokens(VOCAB).toJSON()) as { model: { vocab: Record<string, number> } };
    expect(json.model.vocab['100']).toBe(13);
    expect(json.model.vocab['[UNK]']).toBe(1);
  });

  it.skipIf(hf === null)('is loaded back by HF tokenizers with identical ids and offsets', async () => {
    const tok = BertTokenizer.fromTokens(VOCAB, { lowercase: true });
    const rust = hf!.Tokenizer.fromString(tok.toJSON());
    for (const [a, b] of [['Hello, worlds!', null], ['unaffable [MASK]  HELLO', 'worlds 100!']] as const) {
      const mine = tok.encode(a, b);
      const theirs = await rust.encode(a, b);
      expect(mine.ids).toEqual(theirs.getIds());
      expect(mine.offsets).toEqual(theirs.getOffsets());
    }
  });

  it('rejects components it does not implement with a typed error', () => {
    const j = JSON.parse(BertTokenizer.fromTokens(VOCAB).toJSON()) as Record<string, unknown>;
    expect(() => BertTokenizer.fromJSON(JSON.stringify({ ...j, pre_tokenizer: { type: 'ByteLevel' } }))).toThrow(
      TokenizerJsonError,
    );
    expect(() => BertTokenizer.fromJSON('{not json')).toThrow(TokenizerJsonError);
    const noUnk = { ...j, model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { a: 0, b: 1 } } };
    expect(() => BertTokenizer.fromJSON(JSON.stringify(noUnk))).toThrow(VocabError);
  });

  it('lets tokenizer_config.json override lowercasing and the length limit, as transformers does', () => {
    const json = BertTokenizer.fromTokens(VOCAB, { lowercase: true }).toJSON();
    const cased = BertTokenizer.fromJSON(json, JSON.stringify({ do_lower_case: false, model_max_length: 6 }));
    expect(cased.tokenize('Hello hello')).toEqual(['[UNK]', 'hello']);
    expect(cased.encode('hello world hello world hello', null, { truncation: true }).ids.length).toBe(6);
  });

  const uncased = 'models/bert-base-uncased-tokenizer';
  it.skipIf(sharedMissing(uncased) !== null)('loads bert-base-uncased tokenizer.json + tokenizer_config.json', () => {
    const tok = BertTokenizer.fromJSON(
      readFileSync(sharedPath(`${uncased}/tokenizer.json`), 'utf8'),
      readFileSync(sharedPath(`${uncased}/tokenizer_config.json`), 'utf8'),
    );
    const fromVocab = BertTokenizer.fromVocab(readFileSync(sharedPath(`${uncased}/vocab.txt`), 'utf8'));
    expect(tok.vocabSize).toBe(30522);
    const text = 'Héllo, [MASK] wörld! 中文 unaffable';
    expect(tok.encode(text, 'pair B')).toEqual(fromVocab.encode(text, 'pair B'));
    expect([tok.clsTokenId, tok.sepTokenId, tok.padTokenId, tok.maskTokenId, tok.unkTokenId]).toEqual([101, 102, 0, 103, 100]);
  });

  const chinese = 'models/bert-base-chinese-tokenizer';
  it.skipIf(sharedMissing(chinese) !== null)('loads bert-base-chinese tokenizer.json (model without "type")', () => {
    const tok = BertTokenizer.fromJSON(readFileSync(sharedPath(`${chinese}/tokenizer.json`), 'utf8'));
    const fromVocab = BertTokenizer.fromVocab(readFileSync(sharedPath(`${chinese}/vocab.txt`), 'utf8'), { lowercase: false });
    expect(tok.vocabSize).toBe(21128);
    expect(tok.idToToken(343)).toBe('\u2028');
    expect(tok.encode('你好，世界 Hello')).toEqual(fromVocab.encode('你好，世界 Hello'));
  });
});
