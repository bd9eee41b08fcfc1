// The masked-LM loss of a model that ignores the context: the entropy (nats) of the corpus' WordPiece token
// frequencies. A small BERT reaches it within minutes and then sits on it (the unigram plateau) until attention
// learns to use neighbouring words; reporting it next to the loss tells a user which side of the plateau a run is on.
import type { PretrainingTokenizer } from './instances-vocab.js';

/** −Σ p ln p over the token frequencies of `documents` (lists of sentences), special tokens excluded. */
export async function unigramEntropy(documents: AsyncIterable<readonly string[]> | Iterable<readonly string[]>, tokenizer: Pick<PretrainingTokenizer, 'tokenize'>): Promise<number> {
  const counts = new Map<string, number>();
  let total = 0;
  for await (const doc of documents) {
    for (const sentence of doc) {
      for (const t of tokenizer.tokenize(sentence)) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        total++;
      }
    }
  }
  let h = 0;
  for (const c of counts.values()) h -= (c / total) * Math.log(c / total);
  return h;
}
