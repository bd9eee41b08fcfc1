// Canonical ordering of combining marks with HF's alignments. HF's strip_accents runs NFD over the whole normalised
// string (`NormalizedString::nfd`, unicode-normalization-alignments' `Decompositions`), not code point by code
// point: each run of non-starters is stably sorted by canonical combining class, across code point boundaries and
// across the characters clean_text removed before. Every output character carries a `change`: 0 for the first
// character of a decomposition, 1 for the others; the sort moves it along with the character. Then
// `NormalizedString::transform_range` hands alignments out by position, not by origin: the k-th character with
// change 0 takes the alignment of the k-th input character, a character with change 1 that of the last input
// character taken. `filter` (dropping Mn) then keeps the survivors' alignments as they are.
//
// So a mark that strip_accents keeps (a spacing mark such as U+302E, class 224) can take the range of a removed
// neighbour: in "\u0301\u302e" NFD puts U+302E first, at position 0, and it gets [0, 1], not [1, 2]. Without a
// reordering the k-th change-0 character is the k-th input character, so alignments stay with their origins (in
// "\u0e48\u302e", classes 107 < 224, U+302E keeps [1, 2]). The sequence encoder keeps its code point at a time scan
// and calls `markRun` only for code points holding such a kept mark (CharClass.Mark).
import { canonicalSwap, hfDecompose, isNonspacingMark, isNonstarter, lowercaseEach } from './char-class.js';
import type { CharNormalizer } from './normalizer.js';

/** The kept characters of a run with their original ranges, and where the scan resumes. */
export interface MarkRun {
  /** Normalised (lowercased when the normaliser lowercases) text of each kept character. */
  chars: string[];
  starts: number[];
  ends: number[];
  /** First unit after the run. */
  next: number;
}

interface Entry {
  ch: string;
  /** HF's `change`: 0 for the first character of a decomposition, 1 for the rest. */
  change: number;
  nonstarter: boolean;
  /** The input character came from text[at..], i.e. the scan has not emitted it yet. */
  pending: boolean;
}

/** Code point at `i` as HF sees it (a lone surrogate reaches HF as U+FFFD) and its length in units. */
function cpAt(text: string, i: number, to: number): [number, number] {
  const cu = text.charCodeAt(i);
  if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < to) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return [((cu - 0xd800) << 10) + (lo - 0xdc00) + 0x10000, 2];
  }
  return cu >= 0xd800 && cu <= 0xdfff ? [0xfffd, 1] : [cu, 1];
}

/** Start of the code point that ends at `j` (> from). */
function cpStartBefore(text: string, j: number, from: number): number {
  const lo = text.charCodeAt(j - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && j - 2 >= from) {
    const hi = text.charCodeAt(j - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return j - 2;
  }
  return j - 1;
}

function startsWithNonstarter(cp: number): boolean {
  return isNonstarter(hfDecompose(cp).codePointAt(0) as number);
}

function hasStarter(cp: number): boolean {
  for (const d of hfDecompose(cp)) if (!isNonstarter(d.codePointAt(0) as number)) return true;
  return false;
}

/**
 * The run of non-starters around the code point at `at` (class Mark) inside the stretch text[from, to), as HF
 * normalises it. The scan has already emitted everything before `at`; the run's part before `at` holds only
 * removed marks (a kept one would have started this call earlier) and the starter that heads it.
 */
export function markRun(norm: CharNormalizer, text: string, from: number, to: number, at: number): MarkRun {
  // Window: from the code point holding the run's starter (or the stretch start) to the run's last code point.
  let ws = at;
  const [cpAtAt, lenAt] = cpAt(text, at, to);
  if (startsWithNonstarter(cpAtAt)) {
    for (let j = at; j > from; ) {
      const s = cpStartBefore(text, j, from);
      const [cp] = cpAt(text, s, to);
      j = s;
      if (norm.removedByCleanText(cp)) continue;
      ws = s;
      if (hasStarter(cp)) break;
    }
  }
  let we = at + lenAt;
  for (let j = we; j < to; ) {
    const [cp, len] = cpAt(text, j, to);
    j += len;
    if (norm.removedByCleanText(cp)) continue;
    if (!startsWithNonstarter(cp)) break;
    we = j;
  }

  // HF's NFD stream over the window, with the input characters' ranges.
  const entries: Entry[] = [];
  const srcStart: number[] = [];
  const srcEnd: number[] = [];
  for (let j = ws; j < we; ) {
    const [cp, len] = cpAt(text, j, to);
    if (!norm.removedByCleanText(cp)) {
      srcStart.push(j);
      srcEnd.push(j + len);
      let change = 0;
      for (const ch of hfDecompose(cp)) {
        entries.push({ ch, change, nonstarter: isNonstarter(ch.codePointAt(0) as number), pending: j >= at });
        change = 1;
      }
    }
    j += len;
  }
  // Canonical ordering: a stable sort of each run of non-starters by class (insertion sort on NFD's verdict).
  for (let k = 1; k < entries.length; k++) {
    const e = entries[k];
    if (!e.nonstarter) continue;
    let m = k;
    while (m > 0 && entries[m - 1].nonstarter && canonicalSwap(entries[m - 1].ch, e.ch)) {
      entries[m] = entries[m - 1];
      m--;
    }
    entries[m] = e;
  }

  const run: MarkRun = { chars: [], starts: [], ends: [], next: we };
  let taken = -1;
  for (const e of entries) {
    if (e.change === 0) taken++;
    if (!e.pending || isNonspacingMark(e.ch.codePointAt(0) as number)) continue;
    run.chars.push(norm.options.lowercase ? lowercaseEach(e.ch) : e.ch);
    run.starts.push(srcStart[taken]);
    run.ends.push(srcEnd[taken]);
  }
  return run;
}
