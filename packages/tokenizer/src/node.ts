// Node-only helpers: load a tokenizer from a model directory and save one. The browser entry point
// ('@bertkit/tokenizer') never imports this file.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BertTokenizer, type BertTokenizerInit, type BertTokenizerOptions } from './bert-tokenizer.js';
import { VocabError } from './errors.js';
import { parseTokenizerJson } from './tokenizer-json.js';
import { parseVocabTxt } from './vocab.js';

async function readIfExists(path: string): Promise<string | undefined> {
  return existsSync(path) ? readFile(path, 'utf8') : undefined;
}

/**
 * Loads the tokenizer of a model directory, as transformers' `BertTokenizerFast.from_pretrained` does:
 * `tokenizer.json` (+ `tokenizer_config.json`) when present, else `vocab.txt` with the settings of
 * `tokenizer_config.json` (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`, special tokens,
 * `model_max_length`). `options` override both. A bare vocab.txt with no config is treated as cased when it
 * has tokens with uppercase ASCII letters (bert-base-cased) and uncased otherwise; `max_position_embeddings` of
 * config.json becomes the default `maxLength`.
 */
export async function loadTokenizer(dir: string, options: BertTokenizerOptions = {}): Promise<BertTokenizer> {
  const json = await readIfExists(join(dir, 'tokenizer.json'));
  const configText = await readIfExists(join(dir, 'tokenizer_config.json'));
  if (json !== undefined) return new BertTokenizer(withOptions(parseTokenizerJson(json, configText), options));
  const vocabText = await readIfExists(join(dir, 'vocab.txt'));
  if (vocabText === undefined) throw new VocabError(`${dir}: expected tokenizer.json or vocab.txt, found neither`);
  const tokens = parseVocabTxt(vocabText);
  const opts: BertTokenizerOptions = {};
  if (configText !== undefined) {
    const c = JSON.parse(configText) as Record<string, unknown>;
    const name = (k: string): string | undefined => {
      const v = c[k];
      if (typeof v === 'string') return v;
      if (typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string') {
        return (v as { content: string }).content;
      }
      return undefined;
    };
    if (typeof c.do_lower_case === 'boolean') opts.lowercase = c.do_lower_case;
    if (typeof c.strip_accents === 'boolean') opts.stripAccents = c.strip_accents;
    if (typeof c.tokenize_chinese_chars === 'boolean') opts.handleChineseChars = c.tokenize_chinese_chars;
    if (typeof c.model_max_length === 'number' && c.model_max_length < 1e9) opts.modelMaxLength = c.model_max_length;
    opts.unkToken = name('unk_token');
    opts.clsToken = name('cls_token');
    opts.sepToken = name('sep_token');
    opts.padToken = name('pad_token');
    opts.maskToken = name('mask_token');
  } else {
    opts.lowercase = !tokens.some((t) => !(t.startsWith('[') && t.endsWith(']')) && /[A-Z]/.test(t));
    const modelConfig = await readIfExists(join(dir, 'config.json'));
    if (modelConfig !== undefined) {
      const m = JSON.parse(modelConfig) as { max_position_embeddings?: unknown };
      if (typeof m.max_position_embeddings === 'number') opts.modelMaxLength = m.max_position_embeddings;
    }
  }
  for (const [k, v] of Object.entries(opts)) if (v === undefined) delete (opts as Record<string, unknown>)[k];
  return BertTokenizer.fromTokens(tokens, { ...opts, ...options });
}

/** Explicit options win over what tokenizer.json / tokenizer_config.json say. */
function withOptions(init: BertTokenizerInit, o: BertTokenizerOptions): BertTokenizerInit {
  const n = { ...init.normalizer };
  if (o.cleanText !== undefined) n.cleanText = o.cleanText;
  if (o.handleChineseChars !== undefined) n.handleChineseChars = o.handleChineseChars;
  if (o.lowercase !== undefined) n.lowercase = o.lowercase;
  // As in HF, strip_accents left unset follows lowercase.
  if (o.stripAccents !== undefined || o.lowercase !== undefined) n.stripAccents = o.stripAccents ?? o.lowercase;
  const s = init.specialTokens;
  return {
    ...init,
    normalizer: n,
    unkToken: o.unkToken ?? init.unkToken,
    continuingSubwordPrefix: o.continuingSubwordPrefix ?? init.continuingSubwordPrefix,
    maxInputCharsPerWord: o.maxInputCharsPerWord ?? init.maxInputCharsPerWord,
    specialTokens: {
      clsToken: o.clsToken ?? s.clsToken,
      sepToken: o.sepToken ?? s.sepToken,
      padToken: o.padToken ?? s.padToken,
      maskToken: o.maskToken ?? s.maskToken,
    },
    modelMaxLength: o.modelMaxLength ?? init.modelMaxLength,
  };
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
