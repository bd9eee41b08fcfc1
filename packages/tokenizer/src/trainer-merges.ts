// The WordPiece vocabulary learner. HF tokenizers' WordPieceTrainer is its BpeTrainer with the continuing-subword
// prefix `##` (tokenizers/src/models/wordpiece/trainer.rs → bpe/trainer.rs `do_train`), and this follows it step
// by step: (1) special tokens, (2) the alphabet, limited to the `limitAlphabet` most frequent characters, sorted by
// code point, (3) every word split into characters, non-initial ones prefixed with `##`, (4) pair counts weighted by
// word frequency, (5) repeatedly merge the most frequent pair (ties: smallest ids) into a new token until the
// vocabulary has `vocabSize` entries or no pair reaches `minFrequency`.
//
// Merges are incremental: each merge rewrites only the words that contain the pair (an index pair → words), applies
// the count changes of the neighbouring pairs and pushes the pairs that grew into a lazy max-heap. The cost of one
// merge is proportional to the words it touches, not to the corpus.
//
// Deliberate differences from HF, both for determinism: words are visited in sorted order (HF iterates a HashMap,
// so its ids and the ties they break vary from run to run), and `limitAlphabet` drops the rarest characters with
// ties broken by dropping the higher code point first (HF's `sort_unstable_by_key` leaves ties unspecified). A
// merged pair's count is set to zero (HF leaves the stale count in its map; after a full left-to-right merge no
// occurrence of the pair is left, so zero is exact).
import { PairHeap } from './trainer-pair-heap.js';

export interface MergeOptions {
  vocabSize: number;
  minFrequency: number;
  specialTokens: readonly string[];
  /** Keep at most this many characters in the alphabet (the most frequent); undefined = all. */
  limitAlphabet: number | undefined;
  /** Characters always kept in the alphabet, seen or not. */
  initialAlphabet: readonly string[];
  continuingSubwordPrefix: string;
}

/** Progress of the merge phase. */
export interface MergeProgress {
  phase: 'merge';
  merges: number;
  vocabSize: number;
  targetVocabSize: number;
}

/** Ids fit in 24 bits, so a pair key `left * 2^24 + right` is an exact double. */
const SHIFT = 16_777_216;
const REPORT_EVERY = 1_000;

/** Word symbols stored flat: word w owns sym[start[w] .. start[w] + len[w]), shrinking in place as it merges. */
interface Words {
  sym: Int32Array;
  start: Int32Array;
  len: Int32Array;
  count: Float64Array;
}

/** Steps (1) and (2): specials, then the alphabet sorted by code point. */
function buildAlphabet(wordCounts: Map<string, number>, opts: MergeOptions, vocab: string[], ids: Map<string, number>): void {
  const add = (tok: string): void => {
    if (!ids.has(tok)) {
      ids.set(tok, vocab.length);
      vocab.push(tok);
    }
  };
  for (const s of opts.specialTokens) add(s);

  const freq = new Map<number, number>(); // code point → weighted count
  for (const [word, n] of wordCounts) {
    for (const ch of word) {
      const cp = ch.codePointAt(0)!;
      freq.set(cp, (freq.get(cp) ?? 0) + n);
    }
  }
  for (const ch of opts.initialAlphabet) freq.set(ch.codePointAt(0)!, Infinity);

  let kept = [...freq.entries()];
  if (opts.limitAlphabet !== undefined && kept.length > opts.limitAlphabet) {
    kept.sort((a, b) => a[1] - b[1] || b[0] - a[0]); // rarest first; ties: higher code point dropped first
    kept = kept.slice(kept.length - opts.limitAlphabet);
  }
  kept.sort((a, b) => a[0] - b[0]);
  for (const [cp] of kept) add(String.fromCodePoint(cp));
}

/** Step (3): words as symbol ids; characters outside the alphabet are dropped, as in HF's `tokenize_words`. */
function splitWords(wordCounts: Map<string, number>, prefix: string, vocab: string[], ids: Map<string, number>): Words {
  const sorted = [...wordCounts.keys()].sort();
  let total = 0;
  for (const w of sorted) total += w.length;
  const sym = new Int32Array(total);
  const start = new Int32Array(sorted.length);
  const len = new Int32Array(sorted.length);
  const count = new Float64Array(sorted.length);
  let at = 0;
  sorted.forEach((word, w) => {
    start[w] = at;
    count[w] = wordCounts.get(word)!;
    let first = true;
    for (const ch of word) {
      if (ids.has(ch)) {
        const tok = first ? ch : prefix + ch;
        let id = ids.get(tok);
        if (id === undefined) {
          id = vocab.length;
          ids.set(tok, id);
          vocab.push(tok);
        }
        sym[at++] = id;
      }
      first = false;
    }
    len[w] = at - start[w]!;
  });
  return { sym, start, len, count };
}

/** Runs the whole training on counted words and returns the vocabulary in id order. */
export function learnVocab(
  wordCounts: Map<string, number>,
  opts: MergeOptions,
  onProgress?: (p: MergeProgress) => void,
): string[] {
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  buildAlphabet(wordCounts, opts, vocab, ids);
  const words = splitWords(wordCounts, opts.continuingSubwordPrefix, vocab, ids);
  const { sym, start, len, count } = words;
  const nWords = start.length;

  // Step (4): pair counts and, per pair, the words it occurs in (may hold duplicates and stale entries).
  const pairCount = new Map<number, number>();
  const where = new Map<number, number[]>();
  const note = (key: number, w: number): void => {
    const list = where.get(key);
    if (list === undefined) where.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  };
  for (let w = 0; w < nWords; w++) {
    const s = start[w]!;
    const e = s + len[w]!;
    for (let i = s; i + 1 < e; i++) {
      const key = sym[i]! * SHIFT + sym[i + 1]!;
      pairCount.set(key, (pairCount.get(key) ?? 0) + count[w]!);
      note(key, w);
    }
  }
  const heap = new PairHeap();
  for (const [key, c] of pairCount) if (c > 0) heap.push(c, key);

  // Step (5): merges.
  const seen = new Int32Array(nWords).fill(-1); // merge step that last visited word w (dedupes `where` lists)
  const delta = new Map<number, number>();
  let merges = 0;
  const prefix = opts.continuingSubwordPrefix;
  while (vocab.length < opts.vocabSize) {
    const top = heap.pop();
    if (top === undefined) break;
    const [c, key] = top;
    const live = pairCount.get(key) ?? 0;
    if (c !== live) {
      if (live > 0) heap.push(live, key);
      continue;
    }
    if (c < 1 || c < opts.minFrequency) break;

    const a = Math.floor(key / SHIFT);
    const b = key - a * SHIFT;
    const right = vocab[b]!;
    const tok = vocab[a]! + (right.startsWith(prefix) ? right.slice(prefix.length) : right);
    let n = ids.get(tok);
    if (n === undefined) {
      n = vocab.length;
      ids.set(tok, n);
      vocab.push(tok);
    }

    // Rewrite every word holding (a, b), left to right, recording the neighbours' count changes (HF `Word::merge`).
    delta.clear();
    const bump = (k: number, d: number, w: number): void => {
      if (k === key) return;
      delta.set(k, (delta.get(k) ?? 0) + d);
      if (d > 0) note(k, w);
    };
    for (const w of where.get(key) ?? []) {
      if (seen[w] === merges) continue;
      seen[w] = merges;
      const s = start[w]!;
      const e = s + len[w]!;
      const cw = count[w]!;
      let out = s;
      let i = s;
      while (i < e) {
        if (i + 1 < e && sym[i] === a && sym[i + 1] === b) {
          if (out > s) {
            const p = sym[out - 1]!;
            bump(p * SHIFT + a, -cw, w);
            bump(p * SHIFT + n, cw, w);
          }
          if (i + 2 < e) {
            const q = sym[i + 2]!;
            bump(b * SHIFT + q, -cw, w);
            bump(n * SHIFT + q, cw, w);
          }
          sym[out++] = n;
          i += 2;
        } else {
          sym[out++] = sym[i++]!;
        }
      }
      len[w] = out - s;
    }
    pairCount.delete(key);
    where.delete(key);
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const v = (pairCount.get(k) ?? 0) + d;
      if (v > 0) {
        pairCount.set(k, v);
      } else {
        pairCount.delete(k);
        where.delete(k);
      }
      if (d > 0) heap.push(v, k);
    }
    merges++;
    if (onProgress && merges % REPORT_EVERY === 0) {
      onProgress({ phase: 'merge', merges, vocabSize: vocab.length, targetVocabSize: opts.vocabSize });
    }
  }
  onProgress?.({ phase: 'merge', merges, vocabSize: vocab.length, targetVocabSize: opts.vocabSize });
  return vocab;
}
