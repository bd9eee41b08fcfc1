// Token classification → entities with character offsets, as HF's `TokenClassificationPipeline` computes them
// (transformers/pipelines/token_classification.py): each token's softmax over the labels (`gather_pre_entities`:
// special tokens dropped, `##` pieces marked as sub-words, unknown tokens keep their text); with
// `aggregation_strategy` 'first' / 'average' / 'max' a word's tokens get one label (`aggregate_word`); then runs of
// adjacent units with the same tag join one entity unless the next is `B-` (`group_entities`, `get_tag`: a label
// without a B-/I- prefix continues a run of itself), scored by the mean of its units' scores. Pure functions.
// Two views: `aggregateEntities` (HF's output exactly: `word` from the vocabulary tokens, `ignore_labels`) for
// bertkit's pipeline(), and `labelWords` + `groupEntities` (words from the tokenizer's word ids, entity text
// sliced from the input, O dropped) for the server's ner route.
import { softmax } from '../squad/postprocess';
import { argmax } from '../swag/metric';
import { TaskInputError } from './errors';

/** HF's grouped aggregation strategies. */
export type AggregationStrategy = 'simple' | 'first' | 'average' | 'max';

export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = ['simple', 'first', 'average', 'max'];

/** HF `aggregation_strategy`: 'none' (one entity per token) or a grouped strategy. */
export type TokenAggregation = 'none' | AggregationStrategy;

export const TOKEN_AGGREGATIONS: readonly TokenAggregation[] = ['none', ...AGGREGATION_STRATEGIES];

/** One non-special token with its class probabilities (HF's `pre_entity`). */
export interface PreEntity {
  /** The vocabulary token (`##` pieces keep their prefix); the text itself for an unknown token. */
  word: string;
  /** Softmax over the labels. */
  scores: readonly number[];
  start: number;
  end: number;
  /** Token index in the encoded input. */
  index: number;
  /** Continues the previous token's word (WordPiece: the token and its text differ in length, i.e. `##`). */
  isSubword: boolean;
}

/** `aggregation_strategy: 'none'`: one entity per token. */
export interface TokenEntity {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}

/** One entity: HF's field names. */
export interface EntityGroup {
  entity_group: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

/** What `gatherPreEntities` reads of one encoded text. */
export interface TokenizedText {
  text: string;
  ids: readonly number[];
  tokens: readonly string[];
  offsets: ReadonlyArray<readonly [number, number]>;
  specialTokensMask: readonly number[];
  unkTokenId: number;
}

/** HF `gather_pre_entities` (fast-tokenizer branch). */
export function gatherPreEntities(t: TokenizedText, scores: ReadonlyArray<readonly number[]>): PreEntity[] {
  const out: PreEntity[] = [];
  t.ids.forEach((id, index) => {
    if (t.specialTokensMask[index]) return;
    const [start, end] = t.offsets[index];
    const wordRef = t.text.slice(start, end);
    const unk = id === t.unkTokenId;
    const word = unk ? wordRef : t.tokens[index];
    out.push({ word, scores: scores[index], start, end, index, isSubword: unk ? false : word.length !== wordRef.length });
  });
  return out;
}

/** A unit (token or word) with its label, before grouping. */
interface Labeled {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

/** HF `aggregate_word`'s probability vector for a word: its first token's, the mean, or the most confident token's. */
function pickProbs(perToken: ReadonlyArray<readonly number[]>, strategy: 'first' | 'average' | 'max'): readonly number[] {
  if (strategy === 'average') return perToken[0].map((_, k) => perToken.reduce((a, p) => a + p[k], 0) / perToken.length);
  if (strategy === 'max') {
    let best = perToken[0]; // python's max(): the first of the most confident
    for (const p of perToken) if (Math.max(...p) > Math.max(...best)) best = p;
    return best;
  }
  return perToken[0];
}

function labeled(scores: readonly number[], labels: readonly string[], word: string, start: number, end: number): Labeled {
  const k = argmax(scores);
  return { entity: labels[k], score: scores[k], word, start, end };
}

/** HF `aggregate_words`: a word is a token and the sub-word tokens that follow it. */
function wordEntities(pre: readonly PreEntity[], strategy: 'first' | 'average' | 'max', labels: readonly string[], join: (t: string[]) => string): Labeled[] {
  const words: PreEntity[][] = [];
  for (const p of pre) {
    if (words.length > 0 && p.isSubword) words[words.length - 1].push(p);
    else words.push([p]);
  }
  return words.map((w) => labeled(pickProbs(w.map((p) => p.scores), strategy), labels, join(w.map((p) => p.word)), w[0].start, w[w.length - 1].end));
}

/** HF `get_tag`: `B-X` / `I-X` split; any other label continues (`I`) a run of itself. */
function tagOf(label: string): { bi: 'B' | 'I'; tag: string } {
  if (label.startsWith('B-')) return { bi: 'B', tag: label.slice(2) };
  if (label.startsWith('I-')) return { bi: 'I', tag: label.slice(2) };
  return { bi: 'I', tag: label };
}

/** HF `group_entities`: runs of adjacent units with the same tag, a `B-` starting a new one. */
function entityRuns<T extends { entity: string }>(units: readonly T[]): T[][] {
  const runs: T[][] = [];
  for (const u of units) {
    const last = runs[runs.length - 1];
    const { bi, tag } = tagOf(u.entity);
    if (last && tag === tagOf(last[last.length - 1].entity).tag && bi !== 'B') last.push(u);
    else runs.push([u]);
  }
  return runs;
}

/** HF `group_sub_entities`' group label: the label after its first `-` (`B-PER` → `PER`, `O` → `O`). */
function groupLabel(label: string): string {
  const dash = label.indexOf('-');
  return dash < 0 ? label : label.slice(dash + 1);
}

const meanScore = (run: readonly { score: number }[]) => run.reduce((a, u) => a + u.score, 0) / run.length;

export interface AggregateOptions {
  /** Label name of each class (config id2label, in id order). */
  labels: readonly string[];
  /** Entities (or groups) with these labels are dropped after aggregation. Default `['O']`. */
  ignoreLabels?: readonly string[];
  /** HF `convert_tokens_to_string` (WordPiece: `##` pieces glued, spaces between words). */
  joinTokens: (tokens: string[]) => string;
}

/** HF `aggregate` + the `ignore_labels` filter of `postprocess`. */
export function aggregateEntities(pre: readonly PreEntity[], strategy: 'none', options: AggregateOptions): TokenEntity[];
export function aggregateEntities(pre: readonly PreEntity[], strategy: AggregationStrategy, options: AggregateOptions): EntityGroup[];
export function aggregateEntities(pre: readonly PreEntity[], strategy: TokenAggregation, options: AggregateOptions): TokenEntity[] | EntityGroup[];
export function aggregateEntities(pre: readonly PreEntity[], strategy: TokenAggregation, options: AggregateOptions): TokenEntity[] | EntityGroup[] {
  if (!TOKEN_AGGREGATIONS.includes(strategy)) throw new TaskInputError('aggregation_strategy', TOKEN_AGGREGATIONS.join(' | '), JSON.stringify(strategy));
  const { labels, joinTokens } = options;
  const ignore = new Set(options.ignoreLabels ?? ['O']);
  for (const p of pre) {
    if (p.scores.length !== labels.length) throw new TaskInputError(`scores of token ${p.index}`, `${labels.length} (one per label)`, String(p.scores.length));
  }
  if (strategy === 'none') {
    return pre.map((p): TokenEntity => ({ ...labeled(p.scores, labels, p.word, p.start, p.end), index: p.index })).filter((e) => !ignore.has(e.entity));
  }
  const units = strategy === 'simple' ? pre.map((p) => labeled(p.scores, labels, p.word, p.start, p.end)) : wordEntities(pre, strategy, labels, joinTokens);
  return entityRuns(units)
    .map((run): EntityGroup => ({ entity_group: groupLabel(run[0].entity), score: meanScore(run), word: joinTokens(run.map((u) => u.word)), start: run[0].start, end: run[run.length - 1].end }))
    .filter((g) => !ignore.has(g.entity_group));
}

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

/** Labels per word (adjacent tokens with the same word id; 'simple': per token) from logits [T, K] (row-major). */
export function labelWords(enc: WordAlignment, logits: ArrayLike<number>, labels: readonly string[], strategy: AggregationStrategy = 'first'): LabeledSpan[] {
  const T = enc.wordIds.length;
  const K = labels.length;
  if (logits.length !== T * K) throw new TaskInputError('logits', `${T} tokens × ${K} labels = ${T * K} values`, String(logits.length));
  const pre: PreEntity[] = [];
  enc.wordIds.forEach((w, t) => {
    if (w === null) return;
    const scores = softmax(Array.from({ length: K }, (_, k) => logits[t * K + k]));
    const prev = pre[pre.length - 1];
    const [start, end] = enc.offsets[t];
    pre.push({ word: '', scores, start, end, index: t, isSubword: prev !== undefined && prev.index === t - 1 && enc.wordIds[t - 1] === w });
  });
  const units = strategy === 'simple' ? pre.map((p) => labeled(p.scores, labels, '', p.start, p.end)) : wordEntities(pre, strategy, labels, () => '');
  return units.map((u) => ({ label: u.entity, score: u.score, start: u.start, end: u.end }));
}

/** Entities from labelled words, in text order: HF's grouping, O dropped, each entity's text sliced from `text`. */
export function groupEntities(text: string, words: readonly LabeledSpan[]): EntityGroup[] {
  return entityRuns(words.map((w) => ({ ...w, entity: w.label })))
    .map((run): EntityGroup => {
      const [start, end] = [run[0].start, run[run.length - 1].end];
      return { entity_group: groupLabel(run[0].entity), word: text.slice(start, end), start, end, score: meanScore(run) };
    })
    .filter((g) => g.entity_group !== 'O');
}
