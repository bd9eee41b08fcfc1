// Encodings packed into one Int32Array for the trip from a worker thread to the main thread. Structured clone of
// Encoding objects costs more than encoding itself (every offset is a little [start, end] array), while a typed
// array's buffer is transferred without a copy. Token strings are not sent: they are the vocabulary entries of
// the ids, looked up again on the main thread; the rare token that differs from its id's entry travels apart.
//
// Layout, per encoding in pre-order (an encoding, then its overflowing windows):
//   length L, overflow count K, ids[L], typeIds[L], attentionMask[L], specialTokensMask[L], offsets[2L],
//   wordIds[L] (null → -1), sequenceIds[L] (null → -1)
import type { Encoding } from './encoding.js';

export interface PackedEncodings {
  /** Number of top-level encodings. */
  count: number;
  data: Int32Array;
  /** Flat token positions (over all encodings in layout order) whose string is not `idToToken(id)`, and those strings. */
  tokenAt: number[];
  tokenText: string[];
}

export type IdToToken = (id: number) => string | undefined;

function sizeOf(e: Encoding): number {
  let n = 2 + 8 * e.ids.length;
  for (const o of e.overflowing) n += sizeOf(o);
  return n;
}

export function packEncodings(encodings: readonly Encoding[], idToToken: IdToToken): PackedEncodings {
  let size = 0;
  for (const e of encodings) size += sizeOf(e);
  const data = new Int32Array(size);
  const tokenAt: number[] = [];
  const tokenText: string[] = [];
  let at = 0;
  let tokenIndex = 0;
  const put = (e: Encoding): void => {
    const n = e.ids.length;
    data[at++] = n;
    data[at++] = e.overflowing.length;
    for (let i = 0; i < n; i++) {
      data[at + i] = e.ids[i];
      if (e.tokens[i] !== idToToken(e.ids[i])) {
        tokenAt.push(tokenIndex + i);
        tokenText.push(e.tokens[i]);
      }
    }
    tokenIndex += n;
    at += n;
    for (let i = 0; i < n; i++) data[at++] = e.typeIds[i];
    for (let i = 0; i < n; i++) data[at++] = e.attentionMask[i];
    for (let i = 0; i < n; i++) data[at++] = e.specialTokensMask[i];
    for (let i = 0; i < n; i++) {
      data[at++] = e.offsets[i][0];
      data[at++] = e.offsets[i][1];
    }
    for (let i = 0; i < n; i++) data[at++] = e.wordIds[i] ?? -1;
    for (let i = 0; i < n; i++) data[at++] = e.sequenceIds[i] ?? -1;
    for (const o of e.overflowing) put(o);
  };
  for (const e of encodings) put(e);
  return { count: encodings.length, data, tokenAt, tokenText };
}

export function unpackEncodings(packed: PackedEncodings, idToToken: IdToToken): Encoding[] {
  const { data, tokenAt, tokenText } = packed;
  let at = 0;
  let tokenIndex = 0;
  let nextException = 0;
  const numbers = (n: number): number[] => {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = data[at + i];
    at += n;
    return out;
  };
  const nullable = (n: number): (number | null)[] => {
    const out = new Array<number | null>(n);
    for (let i = 0; i < n; i++) {
      const v = data[at + i];
      out[i] = v < 0 ? null : v;
    }
    at += n;
    return out;
  };
  const take = (): Encoding => {
    const n = data[at++];
    const k = data[at++];
    const ids = numbers(n);
    const tokens = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (nextException < tokenAt.length && tokenAt[nextException] === tokenIndex + i) tokens[i] = tokenText[nextException++];
      else tokens[i] = idToToken(ids[i]) as string;
    }
    tokenIndex += n;
    const typeIds = numbers(n);
    const attentionMask = numbers(n);
    const specialTokensMask = numbers(n);
    const offsets = new Array<[number, number]>(n);
    for (let i = 0; i < n; i++) {
      offsets[i] = [data[at], data[at + 1]];
      at += 2;
    }
    const wordIds = nullable(n);
    const sequenceIds = nullable(n);
    const overflowing: Encoding[] = [];
    for (let j = 0; j < k; j++) overflowing.push(take());
    return { ids, tokens, typeIds, attentionMask, specialTokensMask, offsets, wordIds, sequenceIds, overflowing };
  };
  const out: Encoding[] = new Array<Encoding>(packed.count);
  for (let i = 0; i < packed.count; i++) out[i] = take();
  return out;
}
