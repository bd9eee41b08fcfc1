// Node-only helpers: load a tokenizer from a model directory and save one. The browser entry point
// ('@bertkit/tokenizer') never imports this file.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BertTokenizer, BertTokenizerOptions } from './bert-tokenizer.js';
import { VocabError } from './errors.js';
import { tokenizerFromFiles } from './tokenizer-files.js';

async function readIfExists(path: string): Promise<string | undefined> {
  return existsSync(path) ? readFile(path, 'utf8') : undefined;
}

/** Loads the tokenizer of a model directory from disk (see `tokenizerFromFiles` for the rules). */
export async function loadTokenizer(dir: string, options: BertTokenizerOptions = {}): Promise<BertTokenizer> {
  if (!existsSync(dir)) throw new VocabError(`${dir}: expected a model directory, but it does not exist`);
  const [tokenizerJson, vocabTxt, tokenizerConfigJson, configJson] = await Promise.all(
    ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'config.json'].map((f) => readIfExists(join(dir, f))),
  );
  return tokenizerFromFiles({ source: dir, tokenizerJson, vocabTxt, tokenizerConfigJson, configJson }, options);
}

/**
 * Writes `tokenizer.json` (HF tokenizers format), `vocab.txt` (one token per line, id order) and
 * `tokenizer_config.json` (transformers' BertTokenizer settings) into `dir`, creating it if needed.
 */
export async function saveTokenizer(tokenizer: BertTokenizer, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const n = tokenizer.normalizerOptions;
  const s = tokenizer.specialTokens;
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: n.lowercase,
    strip_accents: n.stripAccents === n.lowercase ? null : n.stripAccents,
    tokenize_chinese_chars: n.handleChineseChars,
    do_basic_tokenize: true,
    unk_token: s.unkToken,
    cls_token: s.clsToken,
    sep_token: s.sepToken,
    pad_token: s.padToken,
    mask_token: s.maskToken,
    clean_up_tokenization_spaces: tokenizer.cleanup,
    ...(tokenizer.modelMaxLength !== undefined ? { model_max_length: tokenizer.modelMaxLength } : {}),
  };
  await writeFile(join(dir, 'tokenizer.json'), tokenizer.toJSON());
  await writeFile(join(dir, 'vocab.txt'), tokenizer.vocab.tokens.join('\n') + '\n');
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
}
export { createEncodePool, encodeBatchParallel, EncodePool, EncodePoolError, type EncodePoolOptions } from './parallel.js';
