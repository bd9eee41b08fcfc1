// Character predicates exactly as HF tokenizers' BertNormalizer / BertPreTokenizer see them
// (tokenizers/src/normalizers/bert.rs, pre_tokenizers/bert.rs), built from the engine's Unicode property
// escapes plus the generated differences in unicode-tables.ts. They are only called while filling the
// per-tokenizer lookup tables (normalizer.ts), never per character of the hot path.
import {
  HF_EXTRA_PUNCT,
  HF_NFD_KEEP,
  HF_NOT_CONTROL,
  HF_NOT_PUNCT,
  HF_STARTER,
  HF_STRIP_DROP,
  HF_STRIP_KEEP,
} from './unicode-tables.js';

const CONTROL_RE = /^[\p{Cc}\p{Cf}\p{Co}]$/u;
const WHITESPACE_RE = /^\p{White_Space}$/u;
const PUNCT_RE = /^\p{P}$/u;
const MN_RE = /^\p{Mn}$/u;

function inRanges(ranges: readonly number[], cp: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if (cp < ranges[i]) return false;
    if (cp <= ranges[i + 1]) return true;
  }
  return false;
}

/** HF `is_whitespace`: \t \n \r or Rust's `char::is_whitespace` (the White_Space property). */
export function isWhitespace(cp: number): boolean {
  return WHITESPACE_RE.test(String.fromCodePoint(cp));
}

/** HF `is_control`: Cc, Cf, Co (its `is_other`, which leaves out Cn) except \t \n \r. */
export function isControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  return CONTROL_RE.test(String.fromCodePoint(cp)) && !inRanges(HF_NOT_CONTROL, cp);
}

/** HF `is_bert_punc`: ASCII punctuation (33-47, 58-64, 91-96, 123-126) or Unicode P*. */
export function isPunctuation(cp: number): boolean {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  if (inRanges(HF_EXTRA_PUNCT, cp)) return true;
  return PUNCT_RE.test(String.fromCodePoint(cp)) && !inRanges(HF_NOT_PUNCT, cp);
}

/**
 * HF `is_chinese_char`: the CJK Unified Ideographs blocks (not Hangul, Hiragana or Katakana, which are written
 * with spaces), as in google-research/bert `_is_chinese_char`.
 */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** HF `is_mark_nonspacing` of a decomposed character: what strip_accents removes. */
export function isNonspacingMark(cp: number): boolean {
  if (inRanges(HF_STRIP_DROP, cp)) return true;
  return MN_RE.test(String.fromCodePoint(cp)) && !inRanges(HF_STRIP_KEEP, cp);
}

/** HF `do_strip_accents` for one character: NFD, then drop nonspacing marks (Mn). */
export function stripAccents(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (inRanges(HF_STRIP_KEEP, cp)) return ch;
  const nfd = ch.normalize('NFD');
  let out = '';
  for (const d of nfd) if (!isNonspacingMark(d.codePointAt(0) ?? 0)) out += d;
  return out;
}

/**
 * HF's canonical decomposition of one code point (`unicode-normalization-alignments`, Unicode 9): the engine's
 * NFD, except for the characters encoded since that HF leaves whole.
 */
export function hfDecompose(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return inRanges(HF_NFD_KEEP, cp) ? ch : ch.normalize('NFD');
}

/**
 * Whether HF's NFD treats a decomposed character as a non-starter (canonical combining class > 0), the marks
 * that canonical ordering sorts. The engine exposes no combining class, but NFD reorders a non-starter around
 * U+0334 (class 1) or U+0301 (class 230) and never a starter; HF_STARTER lists the later marks HF sees as starters,
 * and the characters HF does not decompose (HF_NFD_KEEP, which this test would see decomposed) are starters to HF.
 */
export function isNonstarter(cp: number): boolean {
  if (cp < 0x300 || inRanges(HF_STARTER, cp) || inRanges(HF_NFD_KEEP, cp)) return false;
  const ch = String.fromCodePoint(cp);
  return (ch + '\u0334').normalize('NFD') !== ch + '\u0334' || ('\u0301' + ch).normalize('NFD') !== '\u0301' + ch;
}

/**
 * Canonical ordering of two adjacent non-starters a, b: true when b must come first (class(a) > class(b)), i.e.
 * when NFD swaps them. scripts/gen-unicode-tables.mjs checks that this engine orders every pair of HF's
 * non-starters as HF does.
 */
export function canonicalSwap(a: string, b: string): boolean {
  return (a + b).normalize('NFD') !== a + b;
}

/**
 * HF `NormalizedString::lowercase`: Rust's `char::to_lowercase`, code point by code point, so there is no
 * final-sigma rule ("ΣΑΣ" -> "σασ") and one character may become several ("İ" -> "i̇"). Calling
 * `toLowerCase` on each code point alone gives exactly the unconditional mappings.
 */
export function lowercaseEach(s: string): string {
  let out = '';
  for (const ch of s) out += ch.toLowerCase();
  return out;
}
