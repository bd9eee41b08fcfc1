// Test-only: a minimal greedy longest-match WordPiece tokenizer over an inline vocabulary (lowercasing,
// whitespace + punctuation split), so data generation is tested without @bertkit/tokenizer.
import type { PretrainingTokenizer } from './instances-vocab.js';

export function tinyTokenizer(vocab: readonly string[]): PretrainingTokenizer {
  const ids = new Map(vocab.map((t, i) => [t, i] as const));
  const need = (t: string): number => {
    const id = ids.get(t);
    if (id === undefined) throw new Error(`test vocabulary lacks ${t}`);
    return id;
  };
  const unk = need('[UNK]');
  const wordPiece = (word: string): string[] => {
    const out: string[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let piece: string | undefined;
      for (; end > start; end--) {
        const sub = (start > 0 ? '##' : '') + word.slice(start, end);
        if (ids.has(sub)) {
          piece = sub;
          break;
        }
      }
      if (piece === undefined) return ['[UNK]'];
      out.push(piece);
      start = end;
    }
    return out;
  };
  return {
    tokenize: (text) => text.toLowerCase().replace(/([^\p{L}\p{N}\s])/gu, ' $1 ').split(/\s+/).filter(Boolean).flatMap(wordPiece),
    tokenToId: (t) => ids.get(t) ?? unk,
    idToToken: (i) => vocab[i],
    vocabSize: vocab.length,
    clsTokenId: need('[CLS]'),
    sepTokenId: need('[SEP]'),
    maskTokenId: need('[MASK]'),
    padTokenId: need('[PAD]'),
  };
}

/** A word-level vocabulary of a corpus (its `size - 5` most frequent words + letters as ## pieces + specials). */
export function corpusVocab(docs: readonly string[][], size: number): string[] {
  const counts = new Map<string, number>();
  for (const d of docs) for (const s of d) for (const w of s.toLowerCase().replace(/([^\p{L}\p{N}\s])/gu, ' $1 ').split(/\s+/)) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
  const pieces = [...'abcdefghijklmnopqrstuvwxyz0123456789'].flatMap((c) => [c, `##${c}`]);
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const vocab = [...specials, ...pieces];
  const seen = new Set(vocab);
  for (const w of words) {
    if (vocab.length >= size) break;
    if (!seen.has(w)) vocab.push(w);
  }
  return vocab;
}
