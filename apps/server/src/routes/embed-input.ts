// Embedding inputs as the OpenAI and TEI clients send them: a string, a list of strings, a list of token ids (one
// input) or a list of lists of token ids, and their encoding into rows for the batcher. Token ids are the served
// model's own vocabulary ids, used as given (no [CLS]/[SEP] added), as TEI's `InputType::Ids`.
import type { EncodedRow } from '@bertkit/heads';
import { ApiError } from '../errors.js';
import type { ServedModel } from '../model-registry.js';

/** One input: a text or a list of token ids. */
export type EmbedItem = string | number[];

/** What a schema-valid `input` (string | (string | integer | integer[])[]) means: the list of inputs. */
export function embedItems(input: string | (string | number | number[])[], field: string): EmbedItem[] {
  if (typeof input === 'string') return [input];
  if (input.length > 0 && typeof input[0] === 'number') {
    input.forEach((v, i) => {
      if (typeof v !== 'number') throw new ApiError(400, 'invalid_request', `${field}[${i}]: expected a token id like ${field}[0], got ${Array.isArray(v) ? 'a list' : typeof v}`, `${field}[${i}]`);
    });
    return [input as number[]];
  }
  input.forEach((v, i) => {
    if (typeof v === 'number') throw new ApiError(400, 'invalid_request', `${field}[${i}]: expected a string or a list of token ids, got the number ${v}`, `${field}[${i}]`);
  });
  return input as EmbedItem[];
}

export interface EncodeItemOptions {
  truncate: boolean;
  side?: 'left' | 'right';
  /** Text prepended to every text input (a sentence-transformers prompt). */
  prompt?: string;
  /** A second sentence (segment B, token type 1) for a text input. */
  pair?: string | null;
  /** The error for an input longer than the model's limit without `truncate`. */
  tooLong: (field: string, tokens: number, max: number) => ApiError;
}

/** Encodes one input into the row the batcher runs: a text through the tokenizer, token ids checked and used as given. */
export function encodeItem(m: ServedModel, item: EmbedItem, field: string, o: EncodeItemOptions): EncodedRow {
  const max = m.maxTokens;
  if (typeof item === 'string') {
    const text = (o.prompt ?? '') + item;
    const pair = o.pair ?? null;
    const enc = o.truncate ? m.tokenizer.encode(text, pair, { truncation: 'longest_first', maxLength: max, truncationSide: o.side ?? 'right' }) : m.tokenizer.encode(text, pair);
    if (enc.ids.length > max) throw o.tooLong(field, enc.ids.length, max);
    return { inputIds: enc.ids, typeIds: enc.typeIds };
  }
  if (o.pair !== undefined && o.pair !== null) throw new ApiError(400, 'invalid_request', `${field}: a pair needs a text input, got token ids`, field);
  const V = m.config.vocabSize;
  item.forEach((id, j) => {
    if (!Number.isInteger(id) || id < 0 || id >= V) throw new ApiError(400, 'invalid_request', `${field}[${j}]: expected a token id in [0, ${V}) of ${m.name}, got ${id}`, `${field}[${j}]`);
  });
  if (item.length === 0) throw new ApiError(400, 'invalid_request', `${field}: expected at least one token id, got an empty list`, field);
  let ids = item;
  if (ids.length > max) {
    if (!o.truncate) throw o.tooLong(field, ids.length, max);
    ids = o.side === 'left' ? ids.slice(ids.length - max) : ids.slice(0, max);
  }
  return { inputIds: ids, typeIds: ids.map(() => 0) };
}

/** Keeps the first `dimensions` components (Matryoshka truncation, as TEI and OpenAI), re-normalised when asked. */
export function truncateDims(v: number[], dimensions: number | undefined, normalize: boolean): number[] {
  if (dimensions === undefined || dimensions >= v.length) return v;
  const out = v.slice(0, dimensions);
  if (!normalize) return out;
  const norm = Math.max(Math.sqrt(out.reduce((a, x) => a + x * x, 0)), 1e-12);
  return out.map((x) => x / norm);
}

/** Little-endian float32 bytes, base64: OpenAI's `encoding_format: "base64"`, which its clients decode. */
export function base64Floats(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}
