// BertNormalizer (HF tokenizers normalizers/bert.rs; google-research/bert BasicTokenizer), compiled into a
// per-tokenizer lookup table over UTF-16 code units so that the hot loop does one array read per character.
import {
  hfDecompose,
  isChineseChar,
  isControl,
  isNonspacingMark,
  isNonstarter,
  isPunctuation,
  isWhitespace,
  lowercaseEach,
  stripAccents,
} from './char-class.js';

export interface NormalizerOptions {
  /** Remove control characters, NUL and U+FFFD; map every whitespace character to a space. Default true. */
  cleanText?: boolean;
  /** Put spaces around CJK ideographs so that each is its own word. Default true. */
  handleChineseChars?: boolean;
  /** NFD + removal of nonspacing marks. Default: the value of `lowercase` (HF's `strip_accents: null`). */
  stripAccents?: boolean;
  /** Lowercase code point by code point. Default true. */
  lowercase?: boolean;
}

export interface ResolvedNormalizerOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  stripAccents: boolean;
  lowercase: boolean;
}

export function resolveNormalizerOptions(o: NormalizerOptions = {}): ResolvedNormalizerOptions {
  const lowercase = o.lowercase ?? true;
  return {
    cleanText: o.cleanText ?? true,
    handleChineseChars: o.handleChineseChars ?? true,
    stripAccents: o.stripAccents ?? lowercase,
    lowercase,
  };
}

/** What a character becomes after normalisation + pre-tokenisation. */
export const enum CharClass {
  Unknown = 0,
  /** Part of a word, unchanged. */
  Word = 1,
  /** Part of a word, replaced by one other code unit (e.g. 'A' -> 'a', 'é' -> 'e'). */
  Mapped = 2,
  /** Whitespace: ends the current word. */
  Split = 3,
  /** Removed (control characters, marks): the word goes on around it. */
  Drop = 4,
  /** Its own word, unchanged: punctuation, CJK ideographs. */
  Isolate = 5,
  /** Anything else (expansions, NFD to several characters): see `complex`. */
  Complex = 6,
  HighSurrogate = 7,
  LowSurrogate = 8,
  /**
   * Keeps a combining mark through strip_accents (U+302E, U+1D165, ...): its run of marks may be reordered with
   * its neighbours' (canonical-order.ts).
   */
  Mark = 9,
}

/**
 * The normaliser of one tokenizer. `classOf` is filled lazily (a character's class is computed the first time
 * it is seen), `mapped` holds the replacement of `Mapped` units and `complex` the normalised string of
 * `Complex` ones (spaces inside it split words, punctuation inside it is isolated).
 */
export class CharNormalizer {
  readonly options: ResolvedNormalizerOptions;
  readonly classOf = new Uint8Array(65536);
  readonly mapped = new Uint16Array(65536);
  readonly complex = new Map<number, string>();
  private readonly astral = new Map<number, number>();
  private readonly pre = new Uint8Array(65536);
  private readonly astralComplex = new Map<number, string>();

  constructor(options: NormalizerOptions = {}) {
    this.options = resolveNormalizerOptions(options);
    // Identity by default, so that `mapped[unit]` is the normalised unit of any unit inside a Word/Mapped word.
    for (let u = 0; u < 65536; u++) this.mapped[u] = u;
  }

  /**
   * The normalised form of one code point, as HF's pipeline produces it: clean_text, handle_chinese_chars,
   * strip_accents, lowercase in this order. CJK ideographs come back as " X ".
   */
  normalize(cp: number): string {
    const o = this.options;
    if (o.cleanText) {
      if (cp === 0 || cp === 0xfffd || isControl(cp)) return '';
      if (cp === 9 || cp === 10 || cp === 13 || isWhitespace(cp)) return ' ';
    }
    let s = String.fromCodePoint(cp);
    if (o.stripAccents) s = stripAccents(s);
    if (o.lowercase) s = lowercaseEach(s);
    if (o.handleChineseChars && isChineseChar(cp)) s = ' ' + s + ' ';
    return s;
  }

  /** Whether clean_text removes the code point (before NFD, so that marks on either side form one run). */
  removedByCleanText(cp: number): boolean {
    return this.options.cleanText && (cp === 0 || cp === 0xfffd || isControl(cp));
  }

  /** Computes and stores the class of a BMP code unit (surrogates get their own classes). */
  fill(cu: number): number {
    let cls: number;
    if (cu >= 0xd800 && cu <= 0xdbff) cls = CharClass.HighSurrogate;
    else if (cu >= 0xdc00 && cu <= 0xdfff) cls = CharClass.LowSurrogate;
    else cls = this.classify(cu, true);
    this.classOf[cu] = cls;
    return cls;
  }

  /** Class of an astral code point (cached; `Mapped` never happens there, it becomes `Complex`). */
  astralClass(cp: number): number {
    let cls = this.astral.get(cp);
    if (cls === undefined) {
      cls = this.classify(cp, false);
      if (this.astral.size < 65536) this.astral.set(cp, cls);
    }
    return cls;
  }

  /** BertPreTokenizer's view of an already normalised character: `Split`, `Isolate` (punctuation) or `Word`. */
  preClass(cp: number): number {
    if (cp < 65536) {
      let c = this.pre[cp];
      if (c === 0) {
        c = preTokenizerClass(cp);
        this.pre[cp] = c;
      }
      return c;
    }
    return preTokenizerClass(cp);
  }

  astralString(cp: number): string {
    return this.astralComplex.get(cp) ?? this.normalize(cp);
  }

  private classify(cp: number, bmp: boolean): number {
    const ch = String.fromCodePoint(cp);
    const s = this.normalize(cp);
    if (s === '') return CharClass.Drop;
    if (this.options.stripAccents && keepsNonstarter(cp)) return CharClass.Mark;
    if (s === ' ') return CharClass.Split;
    const single = [...s];
    if (single.length === 1) {
      const c = single[0].codePointAt(0) ?? 0;
      if (isWhitespace(c)) return CharClass.Split;
      if (s === ch) return isPunctuation(c) ? CharClass.Isolate : CharClass.Word;
      if (bmp && s.length === 1 && !isPunctuation(c)) {
        this.mapped[cp] = c;
        return CharClass.Mapped;
      }
    } else if (single.length === 3 && single[0] === ' ' && single[2] === ' ' && single[1] === ch) {
      return CharClass.Isolate; // a CJK ideograph that normalisation leaves unchanged
    }
    if (bmp) this.complex.set(cp, s);
    else this.astralComplex.set(cp, s);
    return CharClass.Complex;
  }
}

/** Whether the HF decomposition of `cp` holds a non-starter that strip_accents keeps. */
function keepsNonstarter(cp: number): boolean {
  for (const d of hfDecompose(cp)) {
    const c = d.codePointAt(0) as number;
    if (isNonstarter(c) && !isNonspacingMark(c)) return true;
  }
  return false;
}

function preTokenizerClass(cp: number): number {
  if (isWhitespace(cp)) return CharClass.Split;
  return isPunctuation(cp) ? CharClass.Isolate : CharClass.Word;
}
