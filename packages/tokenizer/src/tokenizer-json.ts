// HF tokenizers' tokenizer.json (+ transformers' tokenizer_config.json) <-> BertTokenizerInit. Reads the
// components a BERT tokenizer is made of (BertNormalizer, BertPreTokenizer, WordPiece, TemplateProcessing or
// BertProcessing, WordPiece decoder); any other component is a TokenizerJsonError rather than a silent mismatch.
import type { AddedToken } from './added-tokens.js';
import type { BertTokenizerInit } from './bert-tokenizer.js';
import { TokenizerJsonError } from './errors.js';
import type { NormalizerOptions } from './normalizer.js';
import type { Template, TemplatePiece } from './post-processor.js';
import { Vocab } from './vocab.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(text: string, what: string): Json {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new TokenizerJsonError(`${what}: expected JSON, got a parse error (${(e as Error).message})`);
  }
  if (!isObject(v)) throw new TokenizerJsonError(`${what}: expected a JSON object, got ${typeof v}`);
  return v;
}

function field<T>(obj: Json, key: string, type: string, fallback: T, where: string): T {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== type) throw new TokenizerJsonError(`${where}.${key}: expected ${type}, got ${JSON.stringify(v)}`);
  return v as T;
}

function readNormalizer(n: unknown): NormalizerOptions {
  if (n === null || n === undefined) {
    return { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false };
  }
  if (!isObject(n) || n.type !== 'BertNormalizer') {
    throw new TokenizerJsonError(`normalizer.type: expected "BertNormalizer" or null, got ${JSON.stringify(isObject(n) ? n.type : n)}`);
  }
  const lowercase = field(n, 'lowercase', 'boolean', true, 'normalizer');
  return {
    cleanText: field(n, 'clean_text', 'boolean', true, 'normalizer'),
    handleChineseChars: field(n, 'handle_chinese_chars', 'boolean', true, 'normalizer'),
    stripAccents: field(n, 'strip_accents', 'boolean', lowercase, 'normalizer'),
    lowercase,
  };
}

function readAddedTokens(list: unknown): AddedToken[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TokenizerJsonError(`added_tokens: expected an array, got ${typeof list}`);
  return list.map((t, i) => {
    if (!isObject(t) || typeof t.content !== 'string' || typeof t.id !== 'number') {
      throw new TokenizerJsonError(`added_tokens[${i}]: expected {id: number, content: string}, got ${JSON.stringify(t)}`);
    }
    return {
      id: t.id,
      content: t.content,
      special: t.special === true,
      singleWord: t.single_word === true,
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      normalized: t.normalized === true,
    };
  });
}

function readTemplate(p: unknown, idOf: (tok: string) => number): Template | undefined {
  if (p === null || p === undefined) return { single: [{ kind: 'sequence', which: 0, typeId: 0 }], pair: [{ kind: 'sequence', which: 0, typeId: 0 }, { kind: 'sequence', which: 1, typeId: 1 }] };
  if (!isObject(p)) throw new TokenizerJsonError(`post_processor: expected an object, got ${JSON.stringify(p)}`);
  if (p.type === 'BertProcessing') {
    const pair = (k: string): { token: string; id: number } => {
      const v = p[k];
      if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'number') {
        throw new TokenizerJsonError(`post_processor.${k}: expected [token, id], got ${JSON.stringify(v)}`);
      }
      return { token: v[0], id: v[1] };
    };
    const cls = pair('cls');
    const sep = pair('sep');
    const s = (typeId: number): TemplatePiece => ({ kind: 'special', id: sep.id, token: sep.token, typeId });
    const c: TemplatePiece = { kind: 'special', id: cls.id, token: cls.token, typeId: 0 };
    return {
      single: [c, { kind: 'sequence', which: 0, typeId: 0 }, s(0)],
      pair: [c, { kind: 'sequence', which: 0, typeId: 0 }, s(0), { kind: 'sequence', which: 1, typeId: 1 }, s(1)],
    };
  }
  if (p.type !== 'TemplateProcessing') {
    throw new TokenizerJsonError(`post_processor.type: expected "TemplateProcessing" or "BertProcessing", got ${JSON.stringify(p.type)}`);
  }
  const specials = isObject(p.special_tokens) ? p.special_tokens : {};
  const pieces = (key: 'single' | 'pair'): TemplatePiece[] => {
    const list = p[key];
    if (!Array.isArray(list)) throw new TokenizerJsonError(`post_processor.${key}: expected an array, got ${JSON.stringify(list)}`);
    return list.map((piece, i): TemplatePiece => {
      const where = `post_processor.${key}[${i}]`;
      if (isObject(piece) && isObject(piece.Sequence)) {
        const id = piece.Sequence.id;
        if (id !== 'A' && id !== 'B') throw new TokenizerJsonError(`${where}.Sequence.id: expected "A" or "B", got ${JSON.stringify(id)}`);
        return { kind: 'sequence', which: id === 'A' ? 0 : 1, typeId: Number(piece.Sequence.type_id ?? 0) };
      }
      if (isObject(piece) && isObject(piece.SpecialToken)) {
        const name = String(piece.SpecialToken.id);
        const spec = specials[name];
        const ids = isObject(spec) && Array.isArray(spec.ids) ? spec.ids : null;
        const toks = isObject(spec) && Array.isArray(spec.tokens) ? spec.tokens : null;
        if (ids !== null && ids.length !== 1) {
          throw new TokenizerJsonError(`post_processor.special_tokens["${name}"].ids: expected one id, got ${JSON.stringify(ids)}`);
        }
        const id = ids !== null ? Number(ids[0]) : idOf(name);
        return { kind: 'special', id, token: toks !== null ? String(toks[0]) : name, typeId: Number(piece.SpecialToken.type_id ?? 0) };
      }
      throw new TokenizerJsonError(`${where}: expected {Sequence} or {SpecialToken}, got ${JSON.stringify(piece)}`);
    });
  };
  return { single: pieces('single'), pair: pieces('pair') };
}

/** Reads tokenizer.json text (and optionally tokenizer_config.json text, whose settings win as in transformers). */
export function parseTokenizerJson(jsonText: string, configText?: string): BertTokenizerInit {
  const j = parse(jsonText, 'tokenizer.json');
  const model = j.model;
  if (!isObject(model) || (model.type !== undefined && model.type !== 'WordPiece') || !isObject(model.vocab)) {
    throw new TokenizerJsonError(`model: expected a WordPiece model with a vocab object, got type ${JSON.stringify(isObject(model) ? model.type : model)}`);
  }
  const pre = j.pre_tokenizer;
  if (!isObject(pre) || pre.type !== 'BertPreTokenizer') {
    throw new TokenizerJsonError(`pre_tokenizer.type: expected "BertPreTokenizer", got ${JSON.stringify(isObject(pre) ? pre.type : pre)}`);
  }
  const vocab = Vocab.fromObject(model.vocab as Record<string, number>);
  const addedTokens = readAddedTokens(j.added_tokens);
  const normalizer = readNormalizer(j.normalizer);
  const unkToken = field(model, 'unk_token', 'string', '[UNK]', 'model');
  const idOf = (tok: string): number => {
    const id = vocab.map.get(tok) ?? addedTokens.find((t) => t.content === tok)?.id;
    if (id === undefined) throw new TokenizerJsonError(`post_processor: special token "${tok}" is not in the vocabulary`);
    return id;
  };
  const decoder = j.decoder;
  let cleanup = true;
  if (isObject(decoder) && decoder.type === 'WordPiece') cleanup = decoder.cleanup !== false;
  const init: BertTokenizerInit = {
    vocab,
    normalizer,
    unkToken,
    continuingSubwordPrefix: field(model, 'continuing_subword_prefix', 'string', '##', 'model'),
    maxInputCharsPerWord: field(model, 'max_input_chars_per_word', 'number', 100, 'model'),
    specialTokens: { clsToken: '[CLS]', sepToken: '[SEP]', padToken: '[PAD]', maskToken: '[MASK]' },
    addedTokens,
    template: readTemplate(j.post_processor, idOf),
    cleanup,
  };
  if (configText !== undefined) applyConfig(init, parse(configText, 'tokenizer_config.json'));
  return init;
}

/** transformers' BertTokenizerFast rebuilds the normaliser from tokenizer_config.json when they disagree. */
function applyConfig(init: BertTokenizerInit, c: Json): void {
  const n = init.normalizer;
  if (typeof c.do_lower_case === 'boolean') {
    n.lowercase = c.do_lower_case;
    if (c.strip_accents === null || c.strip_accents === undefined) n.stripAccents = c.do_lower_case;
  }
  if (typeof c.strip_accents === 'boolean') n.stripAccents = c.strip_accents;
  if (typeof c.tokenize_chinese_chars === 'boolean') n.handleChineseChars = c.tokenize_chinese_chars;
  const s = init.specialTokens;
  const name = (k: string): string | undefined => {
    const v = c[k];
    if (typeof v === 'string') return v;
    if (isObject(v) && typeof v.content === 'string') return v.content;
    return undefined;
  };
  s.clsToken = name('cls_token') ?? s.clsToken;
  s.sepToken = name('sep_token') ?? s.sepToken;
  s.padToken = name('pad_token') ?? s.padToken;
  s.maskToken = name('mask_token') ?? s.maskToken;
  init.unkToken = name('unk_token') ?? init.unkToken;
  // transformers writes 1e30 when no limit is known: only a real limit becomes the default maxLength.
  if (typeof c.model_max_length === 'number' && c.model_max_length < 1e9) init.modelMaxLength = c.model_max_length;
  if (typeof c.clean_up_tokenization_spaces === 'boolean') init.cleanup = c.clean_up_tokenization_spaces;
}

/** What serialisation needs from a tokenizer. */
export interface TokenizerJsonSource {
  vocab: Vocab;
  normalizerOptions: Required<NormalizerOptions>;
  unkToken: string;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
  addedTokens: readonly AddedToken[];
  template: Template | null;
  cleanup: boolean;
}

function templateJson(t: Template): Json {
  const pieces = (list: TemplatePiece[]): Json[] =>
    list.map((p) =>
      p.kind === 'special'
        ? { SpecialToken: { id: p.token, type_id: p.typeId } }
        : { Sequence: { id: p.which === 0 ? 'A' : 'B', type_id: p.typeId } },
    );
  const specials: Json = {};
  for (const p of [...t.single, ...t.pair]) {
    if (p.kind === 'special') specials[p.token] = { id: p.token, ids: [p.id], tokens: [p.token] };
  }
  return { type: 'TemplateProcessing', single: pieces(t.single), pair: pieces(t.pair), special_tokens: specials };
}

/** tokenizer.json text in HF tokenizers' format (loads back with `Tokenizer.from_str`). */
export function serializeTokenizerJson(t: TokenizerJsonSource): string {
  const n = t.normalizerOptions;
  const head = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: t.addedTokens.map((a) => ({
      id: a.id,
      content: a.content,
      single_word: a.singleWord ?? false,
      lstrip: a.lstrip ?? false,
      rstrip: a.rstrip ?? false,
      normalized: a.normalized ?? false,
      special: a.special,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: n.cleanText,
      handle_chinese_chars: n.handleChineseChars,
      strip_accents: n.stripAccents,
      lowercase: n.lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: t.template === null ? null : templateJson(t.template),
    decoder: { type: 'WordPiece', prefix: t.continuingSubwordPrefix, cleanup: t.cleanup },
  };
  const model = {
    type: 'WordPiece',
    unk_token: t.unkToken,
    continuing_subword_prefix: t.continuingSubwordPrefix,
    max_input_chars_per_word: t.maxInputCharsPerWord,
  };
  // The vocab object is written by hand so that entries stay in id order (JSON.stringify of an object would put
  // integer-like keys such as "100" first); duplicate tokens are written once, with the id the map holds.
  const entries: string[] = [];
  const tokens = t.vocab.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (t.vocab.map.get(tokens[i]) === i) entries.push(`${JSON.stringify(tokens[i])}:${i}`);
  }
  const body = JSON.stringify({ ...head, model: { ...model, vocab: {} } });
  return body.slice(0, body.length - 4) + `{${entries.join(',')}}}}`;
}
