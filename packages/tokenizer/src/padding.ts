// Padding (HF tokenizers utils/padding.rs `pad_encodings` and `Encoding::pad`): to the longest encoding of a
// batch or to a fixed length, optionally rounded up to a multiple, on the right or the left. Overflow windows
// are padded to the same length.
import type { Encoding } from './encoding.js';

export type PaddingSide = 'right' | 'left';

export interface PadToken {
  id: number;
  token: string;
  typeId: number;
}

/** Target length: `fixed` or the longest of `encodings`, rounded up to `multipleOf`. */
export function padTarget(encodings: readonly Encoding[], fixed: number | null, multipleOf: number | undefined): number {
  let len = fixed ?? 0;
  if (fixed === null) for (const e of encodings) len = Math.max(len, e.ids.length);
  if (multipleOf !== undefined && multipleOf > 0 && len % multipleOf > 0) len += multipleOf - (len % multipleOf);
  return len;
}

/** Pads `e` (and its overflowing windows) in place to `length`; longer encodings are left as they are. */
export function padEncoding(e: Encoding, length: number, pad: PadToken, side: PaddingSide): void {
  for (const o of e.overflowing) padEncoding(o, length, pad, side);
  const n = length - e.ids.length;
  if (n <= 0) return;
  // A loop rather than push(...extra): spreading a long pad would overflow the call stack.
  const fill = <T>(arr: T[], v: () => T): void => {
    const old = arr.length;
    arr.length = old + n;
    if (side === 'right') {
      for (let k = old; k < old + n; k++) arr[k] = v();
    } else {
      for (let k = old - 1; k >= 0; k--) arr[k + n] = arr[k];
      for (let k = 0; k < n; k++) arr[k] = v();
    }
  };
  fill(e.ids, () => pad.id);
  fill(e.tokens, () => pad.token);
  fill(e.typeIds, () => pad.typeId);
  fill(e.attentionMask, () => 0);
  fill(e.specialTokensMask, () => 1);
  fill(e.offsets, (): [number, number] => [0, 0]);
  fill(e.wordIds, () => null);
  fill(e.sequenceIds, () => null);
}
