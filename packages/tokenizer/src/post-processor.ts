// Post-processing (HF tokenizers `TemplateProcessing` / `BertProcessing`): [CLS] A [SEP] and [CLS] A [SEP] B [SEP],
// with type id 1 on B and its [SEP]. Combines the truncation windows of A and B in the order HF's
// `Encoding::merge_with` produces them.
import { type Encoding, emptyEncoding } from './encoding.js';
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

/** Builds one Encoding from a window of A (and of B). */
export function assemble(
  a: RawSequence,
  wa: Window,
  b: RawSequence | null,
  wb: Window | null,
  template: Template | null,
  idToToken: (id: number) => string,
): Encoding {
  const e = emptyEncoding();
  const pieces: TemplatePiece[] =
    template === null
      ? b === null
        ? [{ kind: 'sequence', which: 0, typeId: 0 }]
        : [
            { kind: 'sequence', which: 0, typeId: 0 },
            { kind: 'sequence', which: 1, typeId: 1 },
          ]
      : b === null
        ? template.single
        : template.pair;
  for (const p of pieces) {
    if (p.kind === 'special') {
      e.ids.push(p.id);
      e.tokens.push(p.token);
      e.typeIds.push(p.typeId);
      e.attentionMask.push(1);
      e.specialTokensMask.push(1);
      e.offsets.push([0, 0]);
      e.wordIds.push(null);
      e.sequenceIds.push(null);
      continue;
    }
    const seq = p.which === 0 ? a : b;
    const w = p.which === 0 ? wa : wb;
    if (seq === null || w === null) continue;
    for (let k = w[0]; k < w[1]; k++) {
      const id = seq.ids[k];
      e.ids.push(id);
      e.tokens.push(idToToken(id));
      e.typeIds.push(p.typeId);
      e.attentionMask.push(1);
      e.specialTokensMask.push(0);
      e.offsets.push([seq.starts[k], seq.ends[k]]);
      e.wordIds.push(seq.words[k]);
      e.sequenceIds.push(p.which);
    }
  }
  return e;
}

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
