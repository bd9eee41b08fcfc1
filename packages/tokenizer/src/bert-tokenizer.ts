// BertTokenizer: HF tokenizers' BertNormalizer + BertPreTokenizer + WordPiece + BertProcessing pipeline
// (google-research/bert tokenization.py FullTokenizer), with truncation, overflow windows, padding and decoding.
import { AddedTokenMatcher, type AddedToken } from './added-tokens.js';
import { decodeWordPieces } from './decoder.js';
import type { Encoding } from './encoding.js';
import { TokenizerConfigError, VocabError } from './errors.js';
import { normalizeText } from './normalized-string.js';
import { CharNormalizer, type NormalizerOptions, resolveNormalizerOptions } from './normalizer.js';
import { padEncoding, padTarget, type PaddingSide } from './padding.js';
import { addedCount, assemble, bertTemplate, type Template, windowOrder, type Window } from './post-processor.js';
import { SequenceEncoder } from './sequence-encoder.js';
import { parseTokenizerJson, serializeTokenizerJson } from './tokenizer-json.js';
import { planTruncation, type TruncationSide, type TruncationStrategy } from './truncation.js';
import { parseVocabTxt, Vocab } from './vocab.js';
import { WordPiece } from './wordpiece.js';

export interface SpecialTokenNames {
  unkToken?: string;
  clsToken?: string;
  sepToken?: string;
  padToken?: string;
  maskToken?: string;
}

export interface BertTokenizerOptions extends NormalizerOptions, SpecialTokenNames {
  /** Words longer than this many code points become [UNK]. Default 100. */
  maxInputCharsPerWord?: number;
  /** Continuation prefix of WordPiece pieces. Default "##". */
  continuingSubwordPrefix?: string;
  /** Default `maxLength` for truncation and `padding: 'max_length'` when encode is given none. */
  modelMaxLength?: number;
}

/** Everything a tokenizer is made of (what tokenizer.json describes). */
export interface BertTokenizerInit {
  vocab: Vocab;
  normalizer: NormalizerOptions;
  unkToken: string;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
  specialTokens: Required<Omit<SpecialTokenNames, 'unkToken'>>;
  /** Tokens recognised in the raw text (HF `added_tokens`). */
  addedTokens: AddedToken[];
  /** Post-processing template; default [CLS] A [SEP] / [CLS] A [SEP] B [SEP]. */
  template?: Template;
  /** Decoder cleanup of spaces before punctuation. Default true. */
  cleanup?: boolean;
  modelMaxLength?: number;
}

export type TruncationOption = boolean | TruncationStrategy | 'do_not_truncate';
export type PaddingOption = boolean | 'longest' | 'max_length' | 'do_not_pad';

export interface EncodeOptions {
  /** Add [CLS]/[SEP]. Default true. */
  addSpecialTokens?: boolean;
  /** Length limit for truncation and for `padding: 'max_length'` (special tokens included). */
  maxLength?: number;
  /** true = 'longest_first'. Default false. */
  truncation?: TruncationOption;
  /** Tokens shared by consecutive overflow windows. Default 0. */
  stride?: number;
  truncationSide?: TruncationSide;
  /** Keep the windows cut off by truncation in `encoding.overflowing`. Default false. */
  returnOverflowing?: boolean;
  /** true = 'longest' (the longest of the batch; a single encode is then only rounded by padToMultipleOf). */
  padding?: PaddingOption;
  padToMultipleOf?: number;
  paddingSide?: PaddingSide;
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /** HF's cleanup of spaces before punctuation and contractions. Default: the tokenizer's setting (true). */
  cleanUpTokenizationSpaces?: boolean;
}

export type EncodeInput = string | readonly [string, string];

const DEFAULT_SPECIALS = { clsToken: '[CLS]', sepToken: '[SEP]', padToken: '[PAD]', maskToken: '[MASK]' };

export class BertTokenizer {
  readonly vocab: Vocab;
  readonly normalizerOptions: Required<NormalizerOptions>;
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  readonly specialTokens: Required<SpecialTokenNames>;
  readonly addedTokens: readonly AddedToken[];
  readonly template: Template | null;
  readonly cleanup: boolean;
  readonly modelMaxLength: number | undefined;
  private readonly encoder: SequenceEncoder;
  private readonly addedById = new Map<number, AddedToken>();
  /** id -> token string, added tokens included (one array read per token in `encode`). */
  private readonly tokenById: string[];

  constructor(init: BertTokenizerInit) {
    this.vocab = init.vocab;
    this.normalizerOptions = resolveNormalizerOptions(init.normalizer);
    this.unkToken = init.unkToken;
    this.continuingSubwordPrefix = init.continuingSubwordPrefix;
    this.maxInputCharsPerWord = init.maxInputCharsPerWord;
    this.specialTokens = { unkToken: init.unkToken, ...init.specialTokens };
    this.addedTokens = resolveAddedIds(init.addedTokens, init.vocab);
    this.tokenById = init.vocab.tokens.slice();
    for (const t of this.addedTokens) {
      this.addedById.set(t.id, t);
      this.tokenById[t.id] = t.content;
    }
    this.cleanup = init.cleanup ?? true;
    this.modelMaxLength = init.modelMaxLength;
    // WordPiece looks [UNK] up in its own vocabulary (HF `Error::MissingUnkToken`), not among added tokens.
    const unkId = this.vocab.map.get(init.unkToken);
    if (unkId === undefined) {
      throw new VocabError(`unkToken: expected "${init.unkToken}" in the WordPiece vocabulary (${this.vocab.size} tokens), not found`);
    }
    if (init.template !== undefined) this.template = init.template;
    else {
      const cls = this.tokenToId(init.specialTokens.clsToken);
      const sep = this.tokenToId(init.specialTokens.sepToken);
      this.template =
        cls === undefined || sep === undefined
          ? null
          : bertTemplate({ id: cls, token: init.specialTokens.clsToken }, { id: sep, token: init.specialTokens.sepToken });
    }
    const model = new WordPiece(this.vocab, unkId, {
      unkToken: init.unkToken,
      continuingSubwordPrefix: init.continuingSubwordPrefix,
      maxInputCharsPerWord: init.maxInputCharsPerWord,
    });
    // Added tokens match on the raw text, or (normalized: true) on the normalised text with normalised patterns.
    const norm = new CharNormalizer(this.normalizerOptions);
    const raw = this.addedTokens.filter((t) => !t.normalized);
    const normalized = this.addedTokens
      .filter((t) => t.normalized)
      .map((t) => ({ ...t, content: normalizeText(norm, t.content) }));
    this.encoder = new SequenceEncoder(
      norm,
      model,
      raw.length > 0 ? new AddedTokenMatcher(raw) : null,
      normalized.length > 0 ? new AddedTokenMatcher(normalized) : null,
    );
  }

  /** From the text of a vocab.txt (one token per line, id = line number). */
  static fromVocab(vocabText: string, options: BertTokenizerOptions = {}): BertTokenizer {
    return BertTokenizer.fromTokens(parseVocabTxt(vocabText), options);
  }

  /** From a token list (id = index). */
  static fromTokens(tokens: readonly string[], options: BertTokenizerOptions = {}): BertTokenizer {
    const vocab = new Vocab(tokens);
    const unkToken = options.unkToken ?? '[UNK]';
    const specialTokens = {
      clsToken: options.clsToken ?? DEFAULT_SPECIALS.clsToken,
      sepToken: options.sepToken ?? DEFAULT_SPECIALS.sepToken,
      padToken: options.padToken ?? DEFAULT_SPECIALS.padToken,
      maskToken: options.maskToken ?? DEFAULT_SPECIALS.maskToken,
    };
    // transformers' BertTokenizerFast registers its five special tokens as added tokens, so that they are
    // recognised when written in the text; only those present in the vocabulary, ordered by id.
    const names = [specialTokens.padToken, unkToken, specialTokens.clsToken, specialTokens.sepToken, specialTokens.maskToken];
    const addedTokens: AddedToken[] = [];
    for (const content of new Set(names)) {
      const id = vocab.map.get(content);
      if (id !== undefined) addedTokens.push({ content, id, special: true });
    }
    addedTokens.sort((x, y) => x.id - y.id);
    return new BertTokenizer({
      vocab,
      normalizer: options,
      unkToken,
      continuingSubwordPrefix: options.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: options.maxInputCharsPerWord ?? 100,
      specialTokens,
      addedTokens,
      modelMaxLength: options.modelMaxLength,
    });
  }

  /** From HF tokenizer.json text, optionally with transformers' tokenizer_config.json text (its settings win). */
  static fromJSON(tokenizerJson: string, tokenizerConfigJson?: string): BertTokenizer {
    return new BertTokenizer(parseTokenizerJson(tokenizerJson, tokenizerConfigJson));
  }

  /** tokenizer.json text that HF tokenizers (`Tokenizer.from_str`) and `BertTokenizer.fromJSON` load back. */
  toJSON(): string {
    return serializeTokenizerJson(this);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.map.get(token) ?? this.addedTokens.find((t) => t.content === token)?.id;
  }

  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.vocab.tokens[id];
  }

  /** token -> id for the whole vocabulary (added tokens included). */
  getVocab(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [t, id] of this.vocab.map) out[t] = id;
    for (const t of this.addedTokens) out[t.content] = t.id;
    return out;
  }

  private requireId(field: keyof SpecialTokenNames): number {
    const token = this.specialTokens[field];
    const id = this.tokenToId(token);
    if (id === undefined) throw new VocabError(`${field}: expected "${token}" in the vocabulary, not found`);
    return id;
  }

  get unkTokenId(): number {
    return this.requireId('unkToken');
  }
  get clsTokenId(): number {
    return this.requireId('clsToken');
  }
  get sepTokenId(): number {
    return this.requireId('sepToken');
  }
  get padTokenId(): number {
    return this.requireId('padToken');
  }
  get maskTokenId(): number {
    return this.requireId('maskToken');
  }

  /** WordPiece tokens of `text`, without special tokens. */
  tokenize(text: string): string[] {
    return this.encoder.encode(text).ids.map((id) => this.tokenString(id));
  }

  private tokenString = (id: number): string => this.tokenById[id] ?? this.unkToken;

  /** Encodes `text` (and `pair`) into ids with offsets into the original strings. */
  encode(text: string, pair?: string | null, options: EncodeOptions = {}): Encoding {
    const enc = this.encodeUnpadded(text, pair ?? null, options);
    const padding = normalizePadding(options.padding);
    if (padding !== null) {
      const fixed = padding === 'max_length' ? this.maxLengthFor(options, 'padding') : null;
      padEncoding(enc, padTarget([enc], fixed, options.padToMultipleOf), this.padToken(), options.paddingSide ?? 'right');
    }
    return enc;
  }

  /** Encodes a batch; padding 'longest' pads to the longest encoding of the batch. */
  encodeBatch(inputs: readonly EncodeInput[], options: EncodeOptions = {}): Encoding[] {
    const out = inputs.map((inp) =>
      typeof inp === 'string' ? this.encodeUnpadded(inp, null, options) : this.encodeUnpadded(inp[0], inp[1], options),
    );
    const padding = normalizePadding(options.padding);
    if (padding !== null && out.length > 0) {
      const fixed = padding === 'max_length' ? this.maxLengthFor(options, 'padding') : null;
      const target = padTarget(out, fixed, options.padToMultipleOf);
      const pad = this.padToken();
      for (const e of out) padEncoding(e, target, pad, options.paddingSide ?? 'right');
    }
    return out;
  }

  /** Text of `ids`: ## pieces glued, spaces before punctuation cleaned up as HF does. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of ids) {
      if (options.skipSpecialTokens && this.addedById.get(id)?.special) continue;
      const t = this.idToToken(id);
      if (t !== undefined) tokens.push(t);
    }
    return decodeWordPieces(tokens, this.continuingSubwordPrefix, options.cleanUpTokenizationSpaces ?? this.cleanup);
  }

  private padToken(): { id: number; token: string; typeId: number } {
    return { id: this.requireId('padToken'), token: this.specialTokens.padToken, typeId: 0 };
  }

  private maxLengthFor(options: EncodeOptions, what: string): number {
    const m = options.maxLength ?? this.modelMaxLength;
    if (m === undefined) {
      throw new TokenizerConfigError(`maxLength: expected a number for ${what} (no modelMaxLength is set), got undefined`);
    }
    if (!Number.isInteger(m) || m < 0) throw new TokenizerConfigError(`maxLength: expected an integer >= 0, got ${m}`);
    return m;
  }

  private encodeUnpadded(text: string, pair: string | null, options: EncodeOptions): Encoding {
    // Any string encodes (lone surrogates, NUL, huge words); a non-string is a caller bug worth naming.
    if (typeof text !== 'string') throw new TokenizerConfigError(`text: expected a string, got ${typeof text}`);
    if (pair !== null && typeof pair !== 'string') {
      throw new TokenizerConfigError(`pair: expected a string or null, got ${typeof pair}`);
    }
    const addSpecial = options.addSpecialTokens ?? true;
    const a = this.encoder.encode(text);
    const b = pair === null ? null : this.encoder.encode(pair);
    const template = addSpecial ? this.template : null;
    let wa: Window[] = [[0, a.ids.length]];
    let wb: Window[] | null = b === null ? null : [[0, b.ids.length]];
    const strategy = normalizeTruncation(options.truncation);
    if (strategy !== null) {
      const maxLength = this.maxLengthFor(options, 'truncation');
      const stride = options.stride ?? 0;
      if (!Number.isInteger(stride) || stride < 0) {
        throw new TokenizerConfigError(`stride: expected an integer >= 0, got ${stride}`);
      }
      const n = template === null ? 0 : addedCount(template, b !== null);
      if (maxLength < n) {
        throw new TokenizerConfigError(`maxLength: expected >= ${n} (the special tokens added), got ${maxLength}`);
      }
      const plan = planTruncation(a.ids.length, b === null ? null : b.ids.length, maxLength - n, strategy, stride, options.truncationSide ?? 'right');
      wa = plan.a;
      wb = plan.b;
    }
    const order = windowOrder(wa, wb);
    const main = assemble(a, order[0][0], b, order[0][1], template, this.tokenById, this.unkToken);
    if (options.returnOverflowing) {
      for (let k = 1; k < order.length; k++) {
        main.overflowing.push(assemble(a, order[k][0], b, order[k][1], template, this.tokenById, this.unkToken));
      }
    }
    return main;
  }
}

/**
 * Ids of added tokens as HF's `AddedVocabulary::add_tokens` assigns them when a tokenizer.json is loaded: a token
 * already in the WordPiece vocabulary keeps its vocabulary id, a new one gets the vocabulary size or the next id
 * after the largest added one (the id written in the file is only a hint there).
 */
function resolveAddedIds(tokens: readonly AddedToken[], vocab: Vocab): AddedToken[] {
  const size = vocab.map.size;
  const ids = new Map<string, number>();
  let max = -1;
  const out: AddedToken[] = [];
  for (const t of tokens) {
    if (t.content.length === 0) continue;
    let id = ids.get(t.content) ?? vocab.map.get(t.content);
    if (id === undefined) id = max < 0 ? size : max >= size || size === 0 ? max + 1 : size;
    ids.set(t.content, id);
    max = Math.max(max, id);
    out.push({ ...t, id });
  }
  return out;
}

function normalizeTruncation(t: TruncationOption | undefined): TruncationStrategy | null {
  if (t === undefined || t === false || t === 'do_not_truncate') return null;
  if (t === true) return 'longest_first';
  if (t === 'longest_first' || t === 'only_first' || t === 'only_second') return t;
  throw new TokenizerConfigError(
    `truncation: expected true, false, "longest_first", "only_first", "only_second" or "do_not_truncate", got ${JSON.stringify(t)}`,
  );
}

function normalizePadding(p: PaddingOption | undefined): 'longest' | 'max_length' | null {
  if (p === undefined || p === false || p === 'do_not_pad') return null;
  if (p === true || p === 'longest') return 'longest';
  if (p === 'max_length') return 'max_length';
  throw new TokenizerConfigError(`padding: expected true, false, "longest", "max_length" or "do_not_pad", got ${JSON.stringify(p)}`);
}
