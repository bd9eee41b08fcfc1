// WordPiece (HF tokenizers models/wordpiece; google-research/bert WordpieceTokenizer): greedy longest-match-first
// with a continuation prefix; a word longer than `maxInputCharsPerWord` code points, or one with a piece that is
// in no vocabulary entry, becomes a single [UNK].
import type { Vocab } from './vocab.js';

export interface WordPieceOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
}

/** Results are cached for words up to this many UTF-16 units; the cache is cleared when it holds this many words. */
const CACHEABLE_WORD_UNITS = 48;
const CACHE_CAPACITY = 100_000;

export class WordPiece {
  readonly unkToken: string;
  readonly unkId: number;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  /** Whole-word pieces. */
  private readonly head: ReadonlyMap<string, number>;
  /** Continuation pieces, keyed without the prefix (so that no string is concatenated per lookup). */
  private readonly tail: Map<string, number>;
  private readonly maxHead: number;
  private readonly maxTail: number;
  private readonly cache = new Map<string, Int32Array>();
  private readonly scratch: number[] = [];

  constructor(vocab: Vocab, unkId: number, options: WordPieceOptions = {}) {
    this.unkToken = options.unkToken ?? '[UNK]';
    this.unkId = unkId;
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.head = vocab.map;
    this.tail = new Map();
    let maxHead = 1;
    let maxTail = 1;
    for (const [tok, id] of vocab.map) {
      if (tok.length > maxHead) maxHead = tok.length;
      if (this.prefix.length > 0 && tok.startsWith(this.prefix)) {
        const rest = tok.slice(this.prefix.length);
        this.tail.set(rest, id);
        if (rest.length > maxTail) maxTail = rest.length;
      }
    }
    if (this.prefix.length === 0) for (const [tok, id] of vocab.map) this.tail.set(tok, id);
    this.maxHead = maxHead;
    this.maxTail = Math.max(maxTail, this.prefix.length === 0 ? maxHead : 1);
  }

  /**
   * Pieces of one normalised word as a flat [id, end, id, end, ...] array, `end` being the exclusive end of the
   * piece in UTF-16 units of `word`. The returned array is shared (cached): do not modify it.
   */
  tokenize(word: string): Int32Array {
    const n = word.length;
    if (n <= CACHEABLE_WORD_UNITS) {
      const hit = this.cache.get(word);
      if (hit !== undefined) return hit;
      const res = this.compute(word);
      if (this.cache.size >= CACHE_CAPACITY) this.cache.clear();
      this.cache.set(word, res);
      return res;
    }
    return this.compute(word);
  }

  private compute(word: string): Int32Array {
    const n = word.length;
    if (n > this.maxInputCharsPerWord && countCodePoints(word, this.maxInputCharsPerWord + 1) > this.maxInputCharsPerWord) {
      return Int32Array.of(this.unkId, n);
    }
    const out = this.scratch;
    out.length = 0;
    let start = 0;
    while (start < n) {
      const map = start === 0 ? this.head : this.tail;
      let end = Math.min(n, start + (start === 0 ? this.maxHead : this.maxTail));
      let id: number | undefined;
      while (end > start) {
        id = map.get(word.substring(start, end));
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) return Int32Array.of(this.unkId, n);
      out.push(id, end);
      start = end;
    }
    return Int32Array.from(out);
  }
}

/** Counts code points of `s`, stopping once `limit` is reached. */
function countCodePoints(s: string, limit: number): number {
  let count = 0;
  for (let i = 0; i < s.length && count < limit; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
