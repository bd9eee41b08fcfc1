// A normalised string with its alignment to the original (HF tokenizers' NormalizedString): every UTF-16 unit of
// `text` knows the [start, end) of the original character it came from. The hot path never builds one (it
// normalises while it pre-tokenises, sequence-encoder.ts); it is needed only where HF matches something on the
// normalised text as a whole: added tokens with `normalized: true`.
import type { CharNormalizer } from './normalizer.js';

export interface NormalizedString {
  text: string;
  /** Original start of each unit of `text`. */
  starts: number[];
  /** Original end of each unit of `text`. */
  ends: number[];
}

/** BertNormalizer applied to original[from, to), code point by code point, with alignments. */
export function normalizeAligned(norm: CharNormalizer, original: string, from: number, to: number): NormalizedString {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = from; i < to; ) {
    const cu = original.charCodeAt(i);
    let len = 1;
    let s: string;
    if (cu >= 0xd800 && cu <= 0xdfff) {
      const lo = i + 1 < to ? original.charCodeAt(i + 1) : 0;
      if (cu <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        len = 2;
        s = norm.normalize(((cu - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
      } else {
        // A lone surrogate reaches HF as U+FFFD.
        s = norm.normalize(0xfffd);
      }
    } else {
      s = norm.normalize(cu);
    }
    text += s;
    for (let k = 0; k < s.length; k++) {
      starts.push(i);
      ends.push(i + len);
    }
    i += len;
  }
  return { text, starts, ends };
}

/** The normalised form of a whole string (added-token patterns). */
export function normalizeText(norm: CharNormalizer, s: string): string {
  return normalizeAligned(norm, s, 0, s.length).text;
}
