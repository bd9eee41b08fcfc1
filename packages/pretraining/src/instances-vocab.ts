// The small slice of a tokenizer that data generation needs, so that instances can be built from any WordPiece
// tokenizer (`@bertkit/tokenizer`'s BertTokenizer satisfies it) or from a tiny inline vocabulary in tests.
// Everything downstream works on ids; token strings are only looked at once, here, to find the ## pieces.
import { DataConfigError } from './data-config.js';

/** What instance creation and masking need from a tokenizer. */
export interface PretrainingTokenizer {
  /** WordPiece tokens of a text, without special tokens. */
  tokenize(text: string): string[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  readonly vocabSize: number;
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly maskTokenId: number;
  readonly padTokenId: number;
}

/** Id-level facts about the vocabulary. */
export interface VocabInfo {
  size: number;
  cls: number;
  sep: number;
  mask: number;
  pad: number;
  /** 1 where the token is a word continuation (`##…`), for whole-word masking. */
  isContinuation: Uint8Array;
  /** 1 for [CLS], [SEP], [MASK], [PAD]: never chosen for prediction. */
  isSpecial: Uint8Array;
}

export function vocabInfo(tok: PretrainingTokenizer): VocabInfo {
  const size = tok.vocabSize;
  if (!Number.isInteger(size) || size < 1) throw new DataConfigError(`tokenizer.vocabSize: expected a positive integer, got ${size}`);
  const isContinuation = new Uint8Array(size);
  for (let i = 0; i < size; i++) if (tok.idToToken(i)?.startsWith('##')) isContinuation[i] = 1;
  const isSpecial = new Uint8Array(size);
  const ids = { cls: tok.clsTokenId, sep: tok.sepTokenId, mask: tok.maskTokenId, pad: tok.padTokenId };
  for (const [k, id] of Object.entries(ids)) {
    if (!Number.isInteger(id) || id < 0 || id >= size) throw new DataConfigError(`tokenizer ${k} id: expected an integer in [0, ${size}), got ${id}`);
    isSpecial[id] = 1;
  }
  return { size, ...ids, isContinuation, isSpecial };
}

/** A tokenized document: sentences of token ids (none empty). */
export type IdDocument = number[][];

/**
 * Tokenizes documents of sentences into ids; sentences without tokens and documents without sentences are
 * dropped, as `create_training_instances` does. Tokens missing from the vocabulary are an error (a WordPiece
 * tokenizer emits [UNK] instead).
 */
export function tokenizeDocument(doc: readonly string[], tok: PretrainingTokenizer): IdDocument {
  const out: IdDocument = [];
  for (const sentence of doc) {
    const tokens = tok.tokenize(sentence);
    if (tokens.length === 0) continue;
    out.push(
      tokens.map((t) => {
        const id = tok.tokenToId(t);
        if (id === undefined || id < 0) throw new DataConfigError(`tokenizer.tokenToId: expected an id for ${JSON.stringify(t)}, got ${id}`);
        return id;
      }),
    );
  }
  return out;
}

export function tokenizeDocuments(docs: Iterable<readonly string[]>, tok: PretrainingTokenizer): IdDocument[] {
  const out: IdDocument[] = [];
  for (const d of docs) {
    const ids = tokenizeDocument(d, tok);
    if (ids.length > 0) out.push(ids);
  }
  return out;
}
