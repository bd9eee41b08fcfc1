// One pass over the original text doing HF's BertNormalizer + BertPreTokenizer + WordPiece at once, keeping for
// every token its [start, end) in UTF-16 units of the ORIGINAL string (HF's NormalizedString alignments).
//
// Words whose normalised form has one UTF-16 unit per original unit (ASCII, most Latin text even when lowercased
// or stripped of accents) are never materialised when cached: the scan hashes their normalised units as it reads
// them and the cache compares in place (word-cache.ts); token offsets are `wordStart + pieceEnd`. Only words
// containing removed or expanding characters build their normalised string with an explicit per-unit alignment
// (`alS`/`alE`). No object is allocated per character.
import type { AddedTokenMatcher } from './added-tokens.js';
import { markRun } from './canonical-order.js';
import { normalizeAligned } from './normalized-string.js';
import { CharClass, type CharNormalizer } from './normalizer.js';
import { HASH_SEED, hashStep, hashString, MAX_CACHED_UNITS, WordCache } from './word-cache.js';

/** The encoding of one sequence before post-processing: parallel arrays, one entry per token. */
export interface RawSequence {
  ids: number[];
  starts: number[];
  ends: number[];
  words: number[];
}

/** What the encoder needs from a model: WordPiece pieces of one word as [id, end, id, end, ...]. */
export interface WordModel {
  tokenize(word: string): Int32Array;
  /** True when `tokenize` is a pure function of the word, so that the encoder may cache its results. */
  readonly pure?: boolean;
}

export class SequenceEncoder {
  private alS = new Int32Array(256);
  private alE = new Int32Array(256);
  private out: RawSequence = { ids: [], starts: [], ends: [], words: [] };
  private wordId = 0;
  private readonly cache: WordCache | null;

  constructor(
    private readonly norm: CharNormalizer,
    private readonly model: WordModel,
    private readonly added: AddedTokenMatcher | null,
    /** Added tokens with `normalized: true`: matched on the normalised text (patterns already normalised). */
    private readonly normalizedAdded: AddedTokenMatcher | null = null,
  ) {
    this.cache = model.pure === true ? new WordCache(17) : null;
  }

  encode(text: string): RawSequence {
    const out: RawSequence = { ids: [], starts: [], ends: [], words: [] };
    this.out = out;
    this.wordId = 0;
    const stretch = (s: number, e: number): void => {
      if (this.normalizedAdded === null) this.scan(text, s, e);
      else this.scanNormalized(text, s, e, this.normalizedAdded);
    };
    if (this.added === null) {
      stretch(0, text.length);
    } else {
      this.added.split(text, stretch, (id, s, e) => this.pushToken(id, s, e));
    }
    return out;
  }

  private pushToken(id: number, start: number, end: number): void {
    this.out.ids.push(id);
    this.out.starts.push(start);
    this.out.ends.push(end);
    this.out.words.push(this.wordId++);
  }

  /**
   * HF's second added-token pass (`AddedVocabulary::extract_and_normalize`): normalise the stretch as a whole,
   * split it on normalised added tokens, then pre-tokenise the rest of the normalised text.
   */
  private scanNormalized(text: string, from: number, to: number, matcher: AddedTokenMatcher): void {
    const n = normalizeAligned(this.norm, text, from, to);
    const emit = (s: number, e: number): void => {
      this.ensure(e - s);
      for (let k = s; k < e; k++) {
        this.alS[k - s] = n.starts[k];
        this.alE[k - s] = n.ends[k];
      }
      this.emitString(n.text.slice(s, e), -1);
    };
    matcher.split(
      n.text,
      (s, e) => {
        let ws = -1;
        for (let j = s; j < e; ) {
          const cp = n.text.codePointAt(j) as number;
          const len = cp > 0xffff ? 2 : 1;
          const cls = this.norm.preClass(cp);
          if (cls === CharClass.Word) {
            if (ws < 0) ws = j;
          } else {
            if (ws >= 0) emit(ws, j);
            ws = -1;
            if (cls === CharClass.Isolate) emit(j, j + len);
          }
          j += len;
        }
        if (ws >= 0) emit(ws, e);
      },
      (id, s, e) => this.pushToken(id, e > s ? n.starts[s] : from, e > s ? n.ends[e - 1] : from),
    );
  }

  /** Pushes the pieces of one word; `base >= 0`: identity alignment from `base`, else alS/alE. */
  private push(pieces: Int32Array, base: number): void {
    const out = this.out;
    const w = this.wordId++;
    let prev = 0;
    for (let k = 0; k < pieces.length; k += 2) {
      const end = pieces[k + 1];
      out.ids.push(pieces[k]);
      if (base >= 0) {
        out.starts.push(base + prev);
        out.ends.push(base + end);
      } else {
        out.starts.push(this.alS[prev]);
        out.ends.push(this.alE[end - 1]);
      }
      out.words.push(w);
      prev = end;
    }
  }

  /** A word of identity-aligned units text[start, end) whose normalised units hash to `hash`. */
  private emitSlice(text: string, start: number, end: number, hash: number, mapped: boolean, ascii: boolean): void {
    const cache = this.cache;
    const short = end - start <= MAX_CACHED_UNITS;
    if (cache !== null && short) {
      const hit = cache.getSlice(text, start, end, hash, this.norm.mapped);
      if (hit !== undefined) {
        this.push(hit, start);
        return;
      }
    }
    const word = mapped ? this.mappedSlice(text, start, end, ascii) : text.slice(start, end);
    const pieces = this.model.tokenize(word);
    if (cache !== null && short) cache.set(word, hash, pieces);
    this.push(pieces, start);
  }

  /** A word given as a string (built words: base -1; single isolated characters: base >= 0). */
  private emitString(word: string, base: number): void {
    const cache = this.cache;
    if (cache === null || word.length > MAX_CACHED_UNITS) {
      this.push(this.model.tokenize(word), base);
      return;
    }
    const hash = hashString(word);
    let pieces = cache.get(word, hash);
    if (pieces === undefined) {
      pieces = this.model.tokenize(word);
      cache.set(word, hash, pieces);
    }
    this.push(pieces, base);
  }

  private ensure(n: number): void {
    if (n <= this.alS.length) return;
    let size = this.alS.length * 2;
    while (size < n) size *= 2;
    const s = new Int32Array(size);
    s.set(this.alS);
    const e = new Int32Array(size);
    e.set(this.alE);
    this.alS = s;
    this.alE = e;
  }

  /** The normalised text of original units [from, to) that are all `Word` or `Mapped`. */
  private mappedSlice(text: string, from: number, to: number, ascii: boolean): string {
    const raw = text.slice(from, to);
    // Only lowercasing maps ASCII characters, and to their ASCII lowercase: the native call is exact there.
    if (ascii) return raw.toLowerCase();
    const mapped = this.norm.mapped;
    let s = '';
    for (let i = 0; i < raw.length; i++) s += String.fromCharCode(mapped[raw.charCodeAt(i)]);
    return s;
  }

  private scan(text: string, from: number, to: number): void {
    const norm = this.norm;
    const classOf = norm.classOf;
    const mappedOf = norm.mapped;
    const cleanText = norm.options.cleanText;
    // Word state: wStart < 0 means no word is open. mode 0: identity slice; 1: identity alignment but some units
    // mapped; 2: built string `built` of length `bl` with alignment alS/alE. `h` hashes the normalised units
    // in modes 0 and 1.
    let wStart = -1;
    let mode = 0;
    let ascii = true;
    let h = HASH_SEED;
    let built = '';
    let bl = 0;

    const flush = (at: number): void => {
      if (wStart < 0) return;
      if (mode === 2) this.emitString(built, -1);
      else this.emitSlice(text, wStart, at, h, mode === 1, ascii);
      wStart = -1;
    };
    /** Switches the open word (or a new one) to an explicit alignment. */
    const toBuilt = (at: number): void => {
      if (wStart < 0) {
        wStart = at;
        built = '';
        bl = 0;
      } else if (mode !== 2) {
        built = mode === 0 ? text.slice(wStart, at) : this.mappedSlice(text, wStart, at, ascii);
        bl = built.length;
        this.ensure(bl + 16);
        for (let k = 0; k < bl; k++) {
          this.alS[k] = wStart + k;
          this.alE[k] = wStart + k + 1;
        }
      }
      mode = 2;
    };
    const append = (s: string, start: number, end: number): void => {
      this.ensure(bl + s.length);
      for (let k = 0; k < s.length; k++) {
        this.alS[bl + k] = start;
        this.alE[bl + k] = end;
      }
      built += s;
      bl += s.length;
    };
    /**
     * Normalised text `s` aligned to original [start, end), met at unit `at` of the scan: split on its spaces,
     * isolate its punctuation.
     */
    const complex = (s: string, at: number, start: number, end: number): void => {
      for (const ch of s) {
        const cls = norm.preClass(ch.codePointAt(0) as number);
        if (cls === CharClass.Split) {
          flush(at);
        } else if (cls === CharClass.Isolate) {
          flush(at);
          this.ensure(ch.length);
          for (let k = 0; k < ch.length; k++) {
            this.alS[k] = start;
            this.alE[k] = end;
          }
          this.emitString(ch, -1);
        } else {
          toBuilt(at);
          append(ch, start, end);
        }
      }
    };
    /** A code point keeping a combining mark: its whole run of marks as HF's NFD orders and aligns it. */
    const mark = (at: number): number => {
      const run = markRun(norm, text, from, to, at);
      for (let k = 0; k < run.chars.length; k++) complex(run.chars[k], at, run.starts[k], run.ends[k]);
      return run.next;
    };
    /**
     * A lone surrogate reaches HF as U+FFFD (the JS string is converted to UTF-8 on the way in): removed by
     * clean_text, otherwise an ordinary word character.
     */
    const lone = (i: number): void => {
      if (cleanText) {
        if (wStart >= 0) toBuilt(i);
        return;
      }
      toBuilt(i);
      append('\ufffd', i, i + 1);
    };

    let i = from;
    while (i < to) {
      const cu = text.charCodeAt(i);
      let cls = classOf[cu];
      if (cls === CharClass.Unknown) cls = norm.fill(cu);
      if (cls === CharClass.Word || cls === CharClass.Mapped) {
        if (wStart < 0) {
          wStart = i;
          mode = 0;
          ascii = true;
          h = HASH_SEED;
        }
        if (cu >= 128) ascii = false;
        if (cls === CharClass.Mapped && mode === 0) mode = 1;
        if (mode === 2) append(String.fromCharCode(mappedOf[cu]), i, i + 1);
        else h = hashStep(h, mappedOf[cu]);
        i++;
        continue;
      }
      switch (cls) {
        case CharClass.Split:
          flush(i);
          break;
        case CharClass.Drop:
          if (wStart >= 0) toBuilt(i);
          break;
        case CharClass.Isolate:
          flush(i);
          this.emitString(text[i], i);
          break;
        case CharClass.Complex:
          complex(norm.complex.get(cu) as string, i, i, i + 1);
          break;
        case CharClass.Mark:
          i = mark(i);
          continue;
        case CharClass.HighSurrogate: {
          const lo = i + 1 < to ? text.charCodeAt(i + 1) : 0;
          if (lo < 0xdc00 || lo > 0xdfff) {
            lone(i);
            break;
          }
          const cp = ((cu - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
          const acls = norm.astralClass(cp);
          if (acls === CharClass.Word) {
            if (wStart < 0) {
              wStart = i;
              mode = 0;
              h = HASH_SEED;
            }
            ascii = false;
            if (mode === 2) append(text.slice(i, i + 2), i, i + 2);
            else h = hashStep(hashStep(h, cu), lo);
          } else if (acls === CharClass.Isolate) {
            flush(i);
            this.emitString(text.slice(i, i + 2), i);
          } else if (acls === CharClass.Split) {
            flush(i);
          } else if (acls === CharClass.Drop) {
            if (wStart >= 0) toBuilt(i);
          } else if (acls === CharClass.Mark) {
            i = mark(i);
            continue;
          } else {
            complex(norm.astralString(cp), i, i, i + 2);
          }
          i++; // the low surrogate; the common increment below passes the high one
          break;
        }
        default:
          lone(i); // a lone low surrogate
      }
      i++;
    }
    flush(to);
  }
}
