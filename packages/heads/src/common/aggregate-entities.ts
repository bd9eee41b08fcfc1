// Token classification output as HF's `TokenClassificationPipeline` gives it (transformers/pipelines/
// token_classification.py): per-token softmax scores become entities, optionally merged into words and into
// entity groups by an aggregation strategy. Pure functions over plain numbers; the tokenizer's offsets give the
// `[start, end)` of each token in the original text, so no text is re-tokenised.
import { TaskInputError } from './errors';

/** HF `AggregationStrategy` values. */
export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';

export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

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

/** Every other strategy: groups of adjacent tokens / words with the same tag. */
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

/** HF `gather_pre_entities` (fast-tokenizer branch): special tokens dropped, unknown tokens keep their text. */
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

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/** A word entity (after `first` / `average` / `max`), before grouping. */
interface WordEntity {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

/** HF `aggregate_word`: one label for a word's tokens. */
function aggregateWord(tokens: PreEntity[], strategy: 'first' | 'average' | 'max', labels: readonly string[], join: (t: string[]) => string): WordEntity {
  let scores: readonly number[];
  if (strategy === 'first') scores = tokens[0].scores;
  else if (strategy === 'max') {
    // max(entities, key=scores.max()): the first token whose top score is largest
    let best = tokens[0];
    for (const t of tokens) if (Math.max(...t.scores) > Math.max(...best.scores)) best = t;
    scores = best.scores;
  } else scores = tokens[0].scores.map((_, k) => tokens.reduce((a, t) => a + t.scores[k], 0) / tokens.length);
  const k = argmax(scores);
  return { entity: labels[k], score: scores[k], word: join(tokens.map((t) => t.word)), start: tokens[0].start, end: tokens[tokens.length - 1].end };
}

/** HF `get_tag`: `B-X` / `I-X` split; any other label continues (`I`). */
function tagOf(label: string): { bi: 'B' | 'I'; tag: string } {
  if (label.startsWith('B-')) return { bi: 'B', tag: label.slice(2) };
  if (label.startsWith('I-')) return { bi: 'I', tag: label.slice(2) };
  return { bi: 'I', tag: label };
}

/** HF `group_sub_entities`: the group's tag (prefix dropped), mean score, joined words. */
function groupOf(es: WordEntity[], join: (t: string[]) => string): EntityGroup {
  const label = es[0].entity;
  const dash = label.indexOf('-');
  return {
    entity_group: dash < 0 ? label : label.slice(dash + 1),
    score: es.reduce((a, e) => a + e.score, 0) / es.length,
    word: join(es.map((e) => e.word)),
    start: es[0].start,
    end: es[es.length - 1].end,
  };
}

/** HF `group_entities`: adjacent entities with the same tag merge unless the next one is `B-`. */
export function groupEntities(entities: readonly WordEntity[], join: (t: string[]) => string): EntityGroup[] {
  const groups: EntityGroup[] = [];
  let run: WordEntity[] = [];
  for (const e of entities) {
    if (run.length > 0) {
      const { bi, tag } = tagOf(e.entity);
      if (!(tag === tagOf(run[run.length - 1].entity).tag && bi !== 'B')) {
        groups.push(groupOf(run, join));
        run = [];
      }
    }
    run.push(e);
  }
  if (run.length > 0) groups.push(groupOf(run, join));
  return groups;
}

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
export function aggregateEntities(pre: readonly PreEntity[], strategy: Exclude<AggregationStrategy, 'none'>, options: AggregateOptions): EntityGroup[];
export function aggregateEntities(pre: readonly PreEntity[], strategy: AggregationStrategy, options: AggregateOptions): TokenEntity[] | EntityGroup[];
export function aggregateEntities(pre: readonly PreEntity[], strategy: AggregationStrategy, options: AggregateOptions): TokenEntity[] | EntityGroup[] {
  if (!AGGREGATION_STRATEGIES.includes(strategy)) throw new TaskInputError('aggregation_strategy', AGGREGATION_STRATEGIES.join(' | '), JSON.stringify(strategy));
  const { labels, joinTokens } = options;
  const ignore = new Set(options.ignoreLabels ?? ['O']);
  for (const p of pre) {
    if (p.scores.length !== labels.length) throw new TaskInputError(`scores of token ${p.index}`, `${labels.length} (one per label)`, String(p.scores.length));
  }
  if (strategy === 'none' || strategy === 'simple') {
    const tokens = pre.map((p): TokenEntity => {
      const k = argmax(p.scores);
      return { entity: labels[k], score: p.scores[k], index: p.index, word: p.word, start: p.start, end: p.end };
    });
    if (strategy === 'none') return tokens.filter((e) => !ignore.has(e.entity));
    return groupEntities(tokens, joinTokens).filter((g) => !ignore.has(g.entity_group));
  }
  // HF `aggregate_words`: a word is a token and the sub-word tokens that follow it.
  const words: WordEntity[] = [];
  let group: PreEntity[] = [];
  for (const p of pre) {
    if (group.length > 0 && !p.isSubword) {
      words.push(aggregateWord(group, strategy, labels, joinTokens));
      group = [];
    }
    group.push(p);
  }
  if (group.length > 0) words.push(aggregateWord(group, strategy, labels, joinTokens));
  return groupEntities(words, joinTokens).filter((g) => !ignore.has(g.entity_group));
}
