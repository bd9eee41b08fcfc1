// Post-processing (HF tokenizers `TemplateProcessing` / `BertProcessing`): [CLS] A [SEP] and [CLS] A [SEP] B [SEP],
// with type id 1 on B and its [SEP]. Combines the truncation windows of A and B in the order HF's
// `Encoding::merge_with` produces them.
import type { Encoding } from './encoding.js';
import type { RawSequence } from './sequence-encoder.js';

export type TemplatePiece =
  | { kind: 'special'; id: number; token: string; typeId: number }
  | { kind: 'sequence'; which: 0 | 1; typeId: number };

export interface Template {
  single: TemplatePiece[];
  pair: TemplatePiece[];
}

/** BERT's template: [CLS] $A:0 [SEP]:0 and [CLS] $A:0 [SEP]:0 $B:1 [SEP]:1. */
export function bertTemplate(cls: { id: number; token: string }, sep: { id: number; token: string }): Template {
  const c = { kind: 'special' as const, id: cls.id, token: cls.token, typeId: 0 };
  const s0 = { kind: 'special' as const, id: sep.id, token: sep.token, typeId: 0 };
  const s1 = { kind: 'special' as const, id: sep.id, token: sep.token, typeId: 1 };
  const a = { kind: 'sequence' as const, which: 0 as const, typeId: 0 };
  const b = { kind: 'sequence' as const, which: 1 as const, typeId: 1 };
  return { single: [c, a, s0], pair: [c, a, s0, b, s1] };
}

/** Number of special tokens the template adds (HF `added_tokens(is_pair)`). */
export function addedCount(t: Template, pair: boolean): number {
  return (pair ? t.pair : t.single).filter((p) => p.kind === 'special').length;
}

export type Window = readonly [number, number];

/** Builds one Encoding from a window of A (and of B). `tokenById[id]` is the token string of `id`. */
export function assemble(
  a: RawSequence,
  wa: Window,
  b: RawSequence | null,
  wb: Window | null,
  template: Template | null,
  tokenById: readonly string[],
  unkToken: string,
): Encoding {
  const pieces: readonly TemplatePiece[] =
    template === null ? (b === null ? PLAIN_SINGLE : PLAIN_PAIR) : b === null ? template.single : template.pair;
  // Sized once and filled by index: this runs once per encode and is a good part of its cost.
  let n = 0;
  for (const p of pieces) {
    if (p.kind === 'special') n++;
    else {
      const w = p.which === 0 ? wa : wb;
      if (w !== null && (p.which === 0 || b !== null)) n += w[1] - w[0];
    }
  }
  const ids = new Array<number>(n);
  const tokens = new Array<string>(n);
  const typeIds = new Array<number>(n);
  const attentionMask = new Array<number>(n);
  const specialTokensMask = new Array<number>(n);
  const offsets = new Array<[number, number]>(n);
  const wordIds = new Array<number | null>(n);
  const sequenceIds = new Array<number | null>(n);
  let j = 0;
  for (const p of pieces) {
    if (p.kind === 'special') {
      ids[j] = p.id;
      tokens[j] = p.token;
      typeIds[j] = p.typeId;
      attentionMask[j] = 1;
      specialTokensMask[j] = 1;
      offsets[j] = [0, 0];
      wordIds[j] = null;
      sequenceIds[j] = null;
      j++;
      continue;
    }
    const seq = p.which === 0 ? a : b;
    const w = p.which === 0 ? wa : wb;
    if (seq === null || w === null) continue;
    const sIds = seq.ids;
    const sStarts = seq.starts;
    const sEnds = seq.ends;
    const sWords = seq.words;
    for (let k = w[0]; k < w[1]; k++, j++) {
      const id = sIds[k];
      ids[j] = id;
      tokens[j] = tokenById[id] ?? unkToken;
      typeIds[j] = p.typeId;
      attentionMask[j] = 1;
      specialTokensMask[j] = 0;
      offsets[j] = [sStarts[k], sEnds[k]];
      wordIds[j] = sWords[k];
      sequenceIds[j] = p.which;
    }
  }
  return { ids, tokens, typeIds, attentionMask, specialTokensMask, offsets, wordIds, sequenceIds, overflowing: [] };
}

const PLAIN_SINGLE: readonly TemplatePiece[] = [{ kind: 'sequence', which: 0, typeId: 0 }];
const PLAIN_PAIR: readonly TemplatePiece[] = [
  { kind: 'sequence', which: 0, typeId: 0 },
  { kind: 'sequence', which: 1, typeId: 1 },
];

/**
 * The window pairs in HF's order: first (A0, B0); then for each further window Ai of A: (Ai, B0), (Ai, B1), ...;
 * then (A0, B1), (A0, B2), ... (`Encoding::merge_with` merging each side's overflowing lists).
 */
export function windowOrder(wa: Window[], wb: Window[] | null): [Window, Window | null][] {
  if (wb === null) return wa.map((w) => [w, null]);
  const out: [Window, Window | null][] = [[wa[0], wb[0]]];
  for (let i = 1; i < wa.length; i++) for (const w of wb) out.push([wa[i], w]);
  for (let j = 1; j < wb.length; j++) out.push([wa[0], wb[j]]);
  return out;
}
