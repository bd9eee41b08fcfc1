// A tokenizer from the files of an HF model directory, given as text (browser-safe): what transformers'
// `BertTokenizerFast.from_pretrained` reads. `loadTokenizer` (node.ts) reads the files from disk and calls this; the
// web demo calls it on fetched or dropped files, so one model tokenizes the same everywhere.
import { BertTokenizer, type BertTokenizerInit, type BertTokenizerOptions } from './bert-tokenizer.js';
import { TokenizerConfigError, VocabError } from './errors.js';
import { parseTokenizerJson } from './tokenizer-json.js';
import { parseVocabTxt } from './vocab.js';

/** The tokenizer files of a model directory (any may be absent); `source` names the directory in errors. */
export interface TokenizerFiles {
  source: string;
  tokenizerJson?: string;
  vocabTxt?: string;
  tokenizerConfigJson?: string;
  /** config.json, for `max_position_embeddings` as the default maximum length. */
  configJson?: string;
}

function parseJsonFile(text: string, file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new TokenizerConfigError(`${file}: expected valid JSON, got a parse error (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TokenizerConfigError(`${file}: expected a JSON object, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  return v as Record<string, unknown>;
}

/**
 * The tokenizer of a model directory, as transformers' `BertTokenizerFast.from_pretrained` builds it:
 * `tokenizer.json` (+ `tokenizer_config.json`) when present, else `vocab.txt` with the settings of
 * `tokenizer_config.json` (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`, special tokens,
 * `model_max_length`). `options` override both. A bare vocab.txt with no config is treated as cased when it
 * has tokens with uppercase ASCII letters (bert-base-cased) and uncased otherwise; `max_position_embeddings` of
 * config.json becomes the default `maxLength`.
 */
export function tokenizerFromFiles(files: TokenizerFiles, options: BertTokenizerOptions = {}): BertTokenizer {
  const { source } = files;
  if (files.tokenizerConfigJson !== undefined) parseJsonFile(files.tokenizerConfigJson, `${source}/tokenizer_config.json`);
  if (files.tokenizerJson !== undefined) return new BertTokenizer(withOptions(parseTokenizerJson(files.tokenizerJson, files.tokenizerConfigJson), options));
  if (files.vocabTxt === undefined) throw new VocabError(`${source}: expected tokenizer.json or vocab.txt, found neither`);
  const tokens = parseVocabTxt(files.vocabTxt);
  const opts: BertTokenizerOptions = {};
  if (files.tokenizerConfigJson !== undefined) {
    const c = parseJsonFile(files.tokenizerConfigJson, `${source}/tokenizer_config.json`);
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
    if (files.configJson !== undefined) {
      const m = parseJsonFile(files.configJson, `${source}/config.json`);
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

