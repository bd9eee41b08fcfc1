// Token classification → entities with character offsets (HF `pipeline('token-classification')` with an
// `aggregation_strategy`). Step 1 (`labelWords`): each token's softmax over the labels, merged into one label per
// word from the tokenizer's word ids — 'first' (the first sub-token's), 'average' (mean of the sub-tokens'
// probabilities), 'max' (the sub-token with the highest score) — or kept per token ('simple'). Step 2
// (`groupEntities`): runs of labelled units join one entity by conlleval's chunk rules (conll/iob.ts
// `entitiesOf`: B-X starts one, I-X continues an X, IOB1 and IOB2 alike); a label without a B-/I-/E- prefix
// continues a run of itself (HF `get_tag`); O units are dropped. The entity's text is sliced from the input by
// the offsets, its score is the mean of its units' scores (HF `group_sub_entities`).
import { entitiesOf } from '../conll/iob';
import { softmax } from '../squad/postprocess';
import { argmax } from '../swag/metric';
import { TaskInputError } from './errors';

export type AggregationStrategy = 'simple' | 'first' | 'average' | 'max';

export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = ['simple', 'first', 'average', 'max'];

/** What `labelWords` needs of an encoding: each token's word (null: special) and `[start, end)` in the text. */
export interface WordAlignment {
  wordIds: ReadonlyArray<number | null>;
  offsets: ReadonlyArray<readonly [number, number]>;
}

/** A word (or, with 'simple', a token) with its label, the label's score and its span in the text. */
export interface LabeledSpan {
  label: string;
  score: number;
  start: number;
  end: number;
}

/** One entity: HF's field names. */
export interface EntityGroup {
  entity_group: string;
  word: string;
  start: number;
  end: number;
  score: number;
}

/** Labels per word (or per token with 'simple') from logits [T, K] (row-major) of one encoding. */
export function labelWords(enc: WordAlignment, logits: ArrayLike<number>, labels: readonly string[], strategy: AggregationStrategy = 'first'): LabeledSpan[] {
  const T = enc.wordIds.length;
  const K = labels.length;
  if (logits.length !== T * K) throw new TaskInputError('logits', `${T} tokens × ${K} labels = ${T * K} values`, String(logits.length));
  const probsAt = (t: number) => softmax(Array.from({ length: K }, (_, k) => logits[t * K + k]));
  const units = new Map<number, number[]>(); // unit → its token indices, in order
  enc.wordIds.forEach((w, t) => {
    if (w === null) return;
    const key = strategy === 'simple' ? t : w;
    const list = units.get(key);
    if (list) list.push(t);
    else units.set(key, [t]);
  });
  return [...units.values()].map((tokens) => {
    const start = enc.offsets[tokens[0]][0];
    const end = Math.max(...tokens.map((t) => enc.offsets[t][1]));
    const probs = pickProbs(tokens.map(probsAt), strategy);
    const best = argmax(probs);
    return { label: labels[best], score: probs[best], start, end };
  });
}

/** The probability vector that stands for a word (its tokens' vectors, in order). */
function pickProbs(perToken: number[][], strategy: AggregationStrategy): number[] {
  if (strategy === 'average') return perToken[0].map((_, k) => perToken.reduce((a, p) => a + p[k], 0) / perToken.length);
  if (strategy === 'max') {
    let best = perToken[0];
    for (const p of perToken) if (Math.max(...p) > Math.max(...best)) best = p;
    return best;
  }
  return perToken[0]; // 'first', and 'simple' (one token per unit)
}

/** `PER` → `I-PER` (HF reads a label without a B-/I- prefix as a continuation); O and prefixed labels as they are. */
function asIob(label: string): string {
  return label === 'O' || /^[BIE]-./.test(label) ? label : `I-${label}`;
}

/** Entities from labelled words, in text order (see the file comment). */
export function groupEntities(text: string, words: readonly LabeledSpan[]): EntityGroup[] {
  return entitiesOf(words.map((w) => asIob(w.label))).map((c) => {
    const run = words.slice(c.start, c.end);
    const start = run[0].start;
    const end = run[run.length - 1].end;
    const score = run.reduce((a, w) => a + w.score, 0) / run.length;
    return { entity_group: c.type, word: text.slice(start, end), start, end, score };
  });
}
