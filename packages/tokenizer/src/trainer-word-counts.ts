// Streaming word counting for vocabulary training. Only the word → count map is kept, so a corpus larger than
// memory can be read (HF tokenizers' `Trainer::feed` keeps the same map: `BpeTrainer.words`).
import { TrainerError } from './trainer-error.js';

/** Splits one text into words: normalisation + pre-tokenisation, as the tokenizer does before WordPiece. */
export type WordSplitter = (text: string) => string[];

/** Progress of the counting phase. */
export interface CountProgress {
  phase: 'count';
  /** Texts read so far. */
  texts: number;
  /** Words (tokens, not types) counted so far. */
  words: number;
  /** Distinct words so far. */
  distinct: number;
}

/** How many texts are read between two progress reports. */
const REPORT_EVERY = 10_000;

function isAsyncIterable<T>(x: Iterable<T> | AsyncIterable<T>): x is AsyncIterable<T> {
  return typeof (x as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

/**
 * Counts the words of every text of `corpus` (each item is a line, a sentence or a document). Empty words are
 * skipped. Reads the corpus lazily, one item at a time.
 */
export async function countWords(
  corpus: Iterable<string> | AsyncIterable<string>,
  split: WordSplitter,
  onProgress?: (p: CountProgress) => void,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let texts = 0;
  let words = 0;
  const add = (text: unknown): void => {
    if (typeof text !== 'string') {
      throw new TrainerError(`corpus item ${texts}: expected a string, got ${text === null ? 'null' : typeof text}`);
    }
    for (const w of split(text)) {
      if (w.length === 0) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
      words++;
    }
    texts++;
    if (onProgress && texts % REPORT_EVERY === 0) onProgress({ phase: 'count', texts, words, distinct: counts.size });
  };
  if (isAsyncIterable(corpus)) {
    for await (const text of corpus) add(text);
  } else {
    for (const text of corpus) add(text);
  }
  onProgress?.({ phase: 'count', texts, words, distinct: counts.size });
  return counts;
}
