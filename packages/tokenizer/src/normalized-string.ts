// A normalised string with its alignment to the original (HF tokenizers' NormalizedString): every UTF-16 unit of
// `text` knows the [start, end) of the original character it came from. The hot path never builds one (it
// normalises while it pre-tokenises, sequence-encoder.ts); it is needed only where HF matches something on the
// normalised text as a whole: added tokens with `normalized: true`.
import { markRun } from './canonical-order.js';
import { CharClass, type CharNormalizer } from './normalizer.js';

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
  const push = (s: string, start: number, end: number): void => {
    text += s;
    for (let k = 0; k < s.length; k++) {
      starts.push(start);
      ends.push(end);
    }
  };
  for (let i = from; i < to; ) {
    const cu = original.charCodeAt(i);
    let cp = cu;
    let len = 1;
    if (cu >= 0xd800 && cu <= 0xdfff) {
      const lo = i + 1 < to ? original.charCodeAt(i + 1) : 0;
      if (cu <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        len = 2;
        cp = ((cu - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
      } else {
        cp = 0xfffd; // a lone surrogate reaches HF as U+FFFD
      }
    }
    const cls = len === 2 ? norm.astralClass(cp) : cp === cu ? norm.classOf[cu] || norm.fill(cu) : CharClass.Unknown;
    if (cls === CharClass.Mark) {
      // A kept combining mark: HF's NFD may reorder its whole run (canonical-order.ts).
      const run = markRun(norm, original, from, to, i);
      for (let k = 0; k < run.chars.length; k++) push(run.chars[k], run.starts[k], run.ends[k]);
      i = run.next;
      continue;
    }
    push(norm.normalize(cp), i, i + len);
    i += len;
  }
  return { text, starts, ends };
}

/** The normalised form of a whole string (added-token patterns). */
export function normalizeText(norm: CharNormalizer, s: string): string {
  return normalizeAligned(norm, s, 0, s.length).text;
}
