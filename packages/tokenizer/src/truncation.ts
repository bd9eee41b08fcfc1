// Truncation with overflow windows (HF tokenizers utils/truncation.rs `truncate_encodings` and
// `Encoding::truncate`), applied to each sequence before the special tokens are added.
import { TokenizerConfigError, TruncationError } from './errors.js';
import type { Window } from './post-processor.js';

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';
export type TruncationSide = 'right' | 'left';

/**
 * Windows [start, stop) of a sequence of `len` tokens cut to `maxLen` with `stride` tokens of overlap, in HF's
 * order (`Encoding::truncate`). The first window is the encoding itself, the others its overflowing.
 */
export function truncationWindows(len: number, maxLen: number, stride: number, side: TruncationSide): Window[] {
  if (maxLen >= len) return [[0, len]];
  if (maxLen === 0) return [[0, 0], [0, len]];
  if (stride >= maxLen) {
    throw new TokenizerConfigError(
      `stride: expected < ${maxLen} (maxLength minus the special tokens, per sequence), got ${stride}`,
    );
  }
  const step = maxLen - stride;
  const out: Window[] = [];
  if (side === 'right') {
    for (let start = 0; start < len; start += step) {
      const stop = Math.min(start + maxLen, len);
      out.push([start, stop]);
      if (stop === len) break;
    }
  } else {
    for (let last = len - 1; last >= 0; last -= step) {
      const stop = last + 1;
      const start = stop < maxLen ? 0 : stop - maxLen;
      out.push([start, stop]);
      if (start === 0) break;
    }
  }
  return out;
}

/**
 * Per-sequence windows for a single or pair input whose special tokens are already subtracted from
 * `maxLength` (`truncate_encodings`).
 */
export function planTruncation(
  lenA: number,
  lenB: number | null,
  maxLength: number,
  strategy: TruncationStrategy,
  stride: number,
  side: TruncationSide,
): { a: Window[]; b: Window[] | null } {
  const full = (n: number): Window[] => [[0, n]];
  const total = lenA + (lenB ?? 0);
  if (maxLength === 0) {
    return {
      a: truncationWindows(lenA, 0, stride, side),
      b: lenB === null ? null : truncationWindows(lenB, 0, stride, side),
    };
  }
  if (total <= maxLength) return { a: full(lenA), b: lenB === null ? null : full(lenB) };
  const toRemove = total - maxLength;
  if (strategy === 'longest_first') {
    if (lenB === null) return { a: truncationWindows(lenA, lenA - toRemove, stride, side), b: null };
    let n1 = lenA;
    let n2 = lenB;
    const swap = n1 > n2;
    if (swap) [n1, n2] = [n2, n1];
    if (n1 > maxLength) n2 = n1;
    else n2 = Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    if (swap) [n1, n2] = [n2, n1];
    return { a: truncationWindows(lenA, n1, stride, side), b: truncationWindows(lenB, n2, stride, side) };
  }
  if (strategy === 'only_second' && lenB === null) {
    throw new TruncationError('truncation: "only_second" needs a pair, got a single sequence');
  }
  const targetLen = strategy === 'only_first' ? lenA : (lenB as number);
  if (targetLen <= toRemove) {
    throw new TruncationError(
      `truncation "${strategy}": the sequence to truncate has ${targetLen} tokens, ${toRemove} must go ` +
        `(maxLength ${maxLength} after special tokens); use "longest_first" or a larger maxLength`,
    );
  }
  if (strategy === 'only_first') {
    return { a: truncationWindows(lenA, lenA - toRemove, stride, side), b: lenB === null ? null : full(lenB) };
  }
  return { a: full(lenA), b: truncationWindows(lenB as number, (lenB as number) - toRemove, stride, side) };
}
