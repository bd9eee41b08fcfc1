// Cloze evaluation: held-out sentences with one word replaced by [MASK], and the count-based baseline a BERT must
// beat, a bidirectional bigram model (score(w) = P(w | left word) · P(right word | w), interpolated with the unigram
// distribution). Word pairs counted from the training text are what a model learns first; a masked LM that knows
// English has to do better than them. Pure (no node: imports); `bert eval cloze` wires it to a model.
import type { Rng } from '@bertkit/backend';

/** One cloze item: `text` is the sentence with `answer` replaced by `[MASK]`. */
export interface ClozeItem {
  text: string;
  /** The masked word, lower-cased. */
  answer: string;
  /** The words (lower-cased) either side of the mask; `<s>` / `</s>` at the sentence's ends. */
  left: string;
  right: string;
}

export interface ClozeOptions {
  /** Items to make (at most one per sentence). */
  count: number;
  /** Sentences with fewer or more words are skipped (default 6 and 40). */
  minWords?: number;
  maxWords?: number;
  /** Only words this predicate accepts are masked (default: alphabetic words). */
  accept?: (word: string) => boolean;
}

const WORD = /[A-Za-z]+(?:['’][A-Za-z]+)?|[0-9]+|[^\sA-Za-z0-9]/g;
const ALPHA = /^[a-z]+$/;

/** Word tokens of a text (letters with an inner apostrophe, digit runs, single punctuation marks), with offsets. */
export function clozeWords(text: string): Array<{ word: string; start: number; end: number }> {
  const out: Array<{ word: string; start: number; end: number }> = [];
  for (const m of text.matchAll(WORD)) out.push({ word: m[0].toLowerCase().replace('’', "'"), start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** Splits running text into sentences at . ! ? (followed by space and a capital, a quote or the end). */
export function splitSentences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return [];
  return flat
    .split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z])/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Cloze items from sentences: sentences in a seeded random order, one random accepted word masked in each. */
export function makeClozeItems(sentences: readonly string[], rng: Rng, options: ClozeOptions): ClozeItem[] {
  const { count, minWords = 6, maxWords = 40, accept = (w: string) => ALPHA.test(w) } = options;
  const order = sentences.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const items: ClozeItem[] = [];
  for (const i of order) {
    if (items.length >= count) break;
    const s = sentences[i];
    const words = clozeWords(s);
    if (words.length < minWords || words.length > maxWords) continue;
    const candidates = words.map((w, k) => k).filter((k) => accept(words[k].word));
    if (candidates.length === 0) continue;
    const k = candidates[rng.int(candidates.length)];
    const w = words[k];
    items.push({
      text: `${s.slice(0, w.start)}[MASK]${s.slice(w.end)}`,
      answer: w.word,
      left: k > 0 ? words[k - 1].word : '<s>',
      right: k + 1 < words.length ? words[k + 1].word : '</s>',
    });
  }
  return items;
}

/** Bidirectional bigram model over lower-cased words, with sentence boundaries `<s>` and `</s>`. */
export class BigramCloze {
  private readonly unigram = new Map<string, number>();
  private readonly pairs = new Map<string, Map<string, number>>(); // left → (word → count)
  private readonly leftTotals = new Map<string, number>(); // left → pairs starting with it
  private candidates: string[] | null = null; // the alphabetic words: every prediction's candidate list
  private total = 0;

  /** Counts the word pairs of `sentences`. */
  add(sentences: Iterable<string>): this {
    this.candidates = null;
    for (const s of sentences) {
      const words = ['<s>', ...clozeWords(s).map((w) => w.word), '</s>'];
      for (let i = 0; i < words.length; i++) {
        this.unigram.set(words[i], (this.unigram.get(words[i]) ?? 0) + 1);
        this.total++;
        if (i > 0) {
          let m = this.pairs.get(words[i - 1]);
          if (!m) this.pairs.set(words[i - 1], (m = new Map()));
          m.set(words[i], (m.get(words[i]) ?? 0) + 1);
          this.leftTotals.set(words[i - 1], (this.leftTotals.get(words[i - 1]) ?? 0) + 1);
        }
      }
    }
    return this;
  }

  get vocabularySize(): number {
    return this.unigram.size;
  }

  /** P(b | a), interpolated with the unigram distribution (absolute weight `alpha` on the unigram). */
  private conditional(a: string, b: string, alpha: number): number {
    const pb = (this.unigram.get(b) ?? 0.5) / this.total;
    return ((this.pairs.get(a)?.get(b) ?? 0) + alpha * pb) / ((this.leftTotals.get(a) ?? 0) + alpha);
  }

  /** The `k` best alphabetic fillers for `left [MASK] right`, best first. */
  predict(left: string, right: string, k = 5, alpha = 1): string[] {
    const best: Array<[string, number]> = [];
    this.candidates ??= [...this.unigram.keys()].filter((w) => ALPHA.test(w));
    for (const w of this.candidates) {
      const score = this.conditional(left, w, alpha) * this.conditional(w, right, alpha);
      if (best.length < k || score > best[best.length - 1][1]) {
        best.push([w, score]);
        best.sort((x, y) => y[1] - x[1]);
        if (best.length > k) best.pop();
      }
    }
    return best.map(([w]) => w);
  }
}

/** Top-1 and top-k accuracy of ranked predictions (lower-cased words, `##` pieces never match). */
export function clozeAccuracy(items: readonly ClozeItem[], predictions: ReadonlyArray<readonly string[]>): { top1: number; topK: number; items: number } {
  if (predictions.length !== items.length) throw new RangeError(`clozeAccuracy predictions: expected ${items.length} lists, got ${predictions.length}`);
  let top1 = 0;
  let topK = 0;
  items.forEach((it, i) => {
    const p = predictions[i].map((w) => w.toLowerCase());
    if (p[0] === it.answer) top1++;
    if (p.includes(it.answer)) topK++;
  });
  const n = Math.max(1, items.length);
  return { top1: top1 / n, topK: topK / n, items: items.length };
}
