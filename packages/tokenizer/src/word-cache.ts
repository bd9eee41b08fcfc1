// A bounded open-addressing cache from normalised word to WordPiece result that is probed straight from the
// input text: the scan hashes each word's normalised code units as it reads them, and a hit compares the stored
// key with the text in place, so a repeated word costs no string allocation and no V8 string hashing.

/** FNV-1a step over one UTF-16 unit. */
export function hashStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}
export const HASH_SEED = 0x811c9dc5 | 0;

/** Words longer than this (UTF-16 units) are not cached. */
export const MAX_CACHED_UNITS = 64;

export class WordCache {
  private readonly mask: number;
  private readonly keys: (string | undefined)[];
  private readonly hashes: Int32Array;
  private readonly values: (Int32Array | undefined)[];
  private size = 0;

  constructor(bits = 16) {
    const cap = 1 << bits;
    this.mask = cap - 1;
    this.keys = new Array<string | undefined>(cap).fill(undefined);
    this.values = new Array<Int32Array | undefined>(cap).fill(undefined);
    this.hashes = new Int32Array(cap);
  }

  /** The value whose key equals `norm[text[start..end)]` units (norm maps each unit to its normalised unit). */
  getSlice(text: string, start: number, end: number, hash: number, norm: Uint16Array): Int32Array | undefined {
    const len = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const key = this.keys[slot];
      if (key === undefined) return undefined;
      if (this.hashes[slot] === hash && key.length === len) {
        let k = 0;
        while (k < len && key.charCodeAt(k) === norm[text.charCodeAt(start + k)]) k++;
        if (k === len) return this.values[slot];
      }
    }
  }

  get(word: string, hash: number): Int32Array | undefined {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const key = this.keys[slot];
      if (key === undefined) return undefined;
      if (this.hashes[slot] === hash && key === word) return this.values[slot];
    }
  }

  set(word: string, hash: number, value: Int32Array): void {
    // Bounded: at half load the cache starts afresh (a per-tokenizer cache must not grow with the corpus).
    if (this.size * 2 >= this.keys.length) this.clear();
    let slot = hash & this.mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
    // V8 keeps a slice of 13+ units as a view of its parent: copy it so that a cached word does not keep the
    // whole input text alive.
    this.keys[slot] = word.length >= 13 ? word.split('').join('') : word;
    this.hashes[slot] = hash;
    this.values[slot] = value;
    this.size++;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.size = 0;
  }
}

export function hashString(s: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}
