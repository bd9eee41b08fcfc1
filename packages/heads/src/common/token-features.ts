// Token classification features (paper §5.3, HF run_ner.py `tokenize_and_align_labels`): the words are joined
// by single spaces and encoded once; each token belongs to the word its offset starts in (exact, from the
// tokenizer's offsets — no re-tokenisation per word). A word's label goes on its first sub-token; its other
// sub-tokens and the special tokens get -100 (ignored by the loss). Words cut off by `maxLength` are reported.
import type { BertTokenizer } from '@bertkit/tokenizer';
import { IGNORE_INDEX, padLabels, padRows, type TaskBatch } from './batch';
import { TaskInputError } from './errors';
import { MAX_SEQ_LENGTH } from './defaults';

export interface TokenFeature {
  inputIds: number[];
  typeIds: number[];
  /** Per token: the word's label on its first sub-token, else -100. */
  labels: number[];
  /** Per word: the index of its first sub-token, or -1 when the word has none (truncated, or normalised away). */
  firstToken: number[];
}

export function encodeWords(tokenizer: BertTokenizer, words: readonly string[], labels: readonly number[] | null, maxLength = MAX_SEQ_LENGTH): TokenFeature {
  if (labels !== null && labels.length !== words.length) {
    throw new TaskInputError('labels', `one label per word (${words.length})`, `${labels.length}`);
  }
  const starts: number[] = [];
  let pos = 0;
  for (const w of words) {
    if (/\s/.test(w)) throw new TaskInputError('words', 'words without whitespace', JSON.stringify(w));
    starts.push(pos);
    pos += w.length + 1;
  }
  const enc = tokenizer.encode(words.join(' '), null, { maxLength, truncation: true });
  const firstToken = new Array<number>(words.length).fill(-1);
  const tokLabels = new Array<number>(enc.ids.length).fill(IGNORE_INDEX);
  let w = 0;
  enc.ids.forEach((_, t) => {
    if (enc.sequenceIds[t] !== 0) return;
    const start = enc.offsets[t][0];
    while (w + 1 < words.length && starts[w + 1] <= start) w++;
    if (firstToken[w] === -1) {
      firstToken[w] = t;
      if (labels !== null) tokLabels[t] = labels[w];
    }
  });
  return { inputIds: enc.ids, typeIds: enc.typeIds, labels: tokLabels, firstToken };
}

export function collateTokens(features: TokenFeature[], padId: number): TaskBatch {
  const b = padRows(features.map((f) => [f]), padId);
  return { ...b, labels: padLabels(features.map((f) => f.labels), b.shape[1]) };
}

/**
 * Word-level predictions from logits [T, K] of a feature: arg-max at each word's first sub-token; words without
 * a token get `fallback` (e.g. the most frequent label, or O).
 */
export function wordPredictions(feature: TokenFeature, logits: { data: Float32Array; shape: number[] }, fallback: number): number[] {
  const k = logits.shape[1];
  return feature.firstToken.map((t) => {
    if (t < 0) return fallback;
    let best = 0;
    for (let j = 1; j < k; j++) if (logits.data[t * k + j] > logits.data[t * k + best]) best = j;
    return best;
  });
}
