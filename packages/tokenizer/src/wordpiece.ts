// WordPiece (HF tokenizers models/wordpiece; google-research/bert WordpieceTokenizer): greedy longest-match-first
// with a continuation prefix; a word longer than `maxInputCharsPerWord` code points, or one with a piece that is
// in no vocabulary entry, becomes a single [UNK]. The longest match is found by walking a trie over UTF-16 units
// (one step per unit, no substring allocated), which gives exactly the piece HF finds by trying the longest
// substring first and shortening it.
import type { Vocab } from './vocab.js';

export interface WordPieceOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
}

/** A trie over UTF-16 units stored in one open-addressing table of (node, unit) -> child. */
class UnitTrie {
  private mask: number;
  private keyNode: Int32Array;
  private keyUnit: Uint16Array;
  private child: Int32Array;
  private used = 0;
  /** Token id ending at each node, -1 when none. */
  tokenId: Int32Array;
  nodes = 0;

  constructor(expectedUnits: number) {
    let cap = 1024;
    while (cap < expectedUnits * 2) cap *= 2;
    this.mask = cap - 1;
    this.keyNode = new Int32Array(cap).fill(-1);
    this.keyUnit = new Uint16Array(cap);
    this.child = new Int32Array(cap);
    this.tokenId = new Int32Array(expectedUnits + 2).fill(-1);
  }

  newNode(): number {
    return this.nodes++;
  }

  get(node: number, unit: number): number {
    for (let slot = (Math.imul(node, 0x9e3779b1) ^ unit) & this.mask; ; slot = (slot + 1) & this.mask) {
      const kn = this.keyNode[slot];
      if (kn === -1) return -1;
      if (kn === node && this.keyUnit[slot] === unit) return this.child[slot];
    }
  }

  /** Inserts `s` below `root` and marks its end with `id` (a later duplicate overwrites, as HashMap::insert). */
  insert(root: number, s: string, id: number): void {
    let node = root;
    for (let i = 0; i < s.length; i++) {
      const unit = s.charCodeAt(i);
      let next = this.get(node, unit);
      if (next === -1) {
        next = this.newNode();
        let slot = (Math.imul(node, 0x9e3779b1) ^ unit) & this.mask;
        while (this.keyNode[slot] !== -1) slot = (slot + 1) & this.mask;
        this.keyNode[slot] = node;
        this.keyUnit[slot] = unit;
        this.child[slot] = next;
        this.used++;
      }
      node = next;
    }
    this.tokenId[node] = id;
  }
}

export class WordPiece {
  readonly unkToken: string;
  readonly unkId: number;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  /** `tokenize` depends on the word only: SequenceEncoder caches its results (word-cache.ts). */
  readonly pure = true;
  private readonly trie: UnitTrie;
  private readonly headRoot: number;
  private readonly tailRoot: number;
  private readonly scratch: number[] = [];

  constructor(vocab: Vocab, unkId: number, options: WordPieceOptions = {}) {
    this.unkToken = options.unkToken ?? '[UNK]';
    this.unkId = unkId;
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    let units = 0;
    for (const tok of vocab.map.keys()) units += 2 * tok.length;
    const trie = new UnitTrie(units + 2);
    this.headRoot = trie.newNode();
    this.tailRoot = trie.newNode();
    // In id order, so that duplicates resolve like the token -> id map (last id wins).
    for (const [tok, id] of vocab.map) {
      if (tok.length > 0) trie.insert(this.headRoot, tok, id);
      if (tok.startsWith(this.prefix) && tok.length > this.prefix.length) {
        trie.insert(this.tailRoot, tok.slice(this.prefix.length), id);
      }
    }
    this.trie = trie;
  }

  /**
   * Pieces of one normalised word as a flat [id, end, id, end, ...] array, `end` being the exclusive end of the
   * piece in UTF-16 units of `word`.
   */
  tokenize(word: string): Int32Array {
    const n = word.length;
    if (n > this.maxInputCharsPerWord && countCodePoints(word, this.maxInputCharsPerWord + 1) > this.maxInputCharsPerWord) {
      return Int32Array.of(this.unkId, n);
    }
    const trie = this.trie;
    const out = this.scratch;
    out.length = 0;
    let start = 0;
    while (start < n) {
      let node = start === 0 ? this.headRoot : this.tailRoot;
      let bestEnd = -1;
      let bestId = -1;
      for (let j = start; j < n; j++) {
        node = trie.get(node, word.charCodeAt(j));
        if (node === -1) break;
        const id = trie.tokenId[node];
        if (id !== -1) {
          bestEnd = j + 1;
          bestId = id;
        }
      }
      if (bestEnd === -1) return Int32Array.of(this.unkId, n);
      out.push(bestId, bestEnd);
      start = bestEnd;
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
