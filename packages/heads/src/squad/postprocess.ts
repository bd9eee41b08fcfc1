// N-best answer search over every window of one question, as google-research/bert run_squad.py
// `write_predictions` does, but with the tokenizer's offsets (token → [start, end) in the context) instead of its
// `get_final_text` de-tokenisation heuristic: the answer is sliced from the original context, as HF's
// `postprocess_qa_predictions` does. No model is needed: the inputs are the logits and the offsets.

/** A malformed post-processing input (the message names the field, the expected and the actual value). */
export class SquadPostprocessError extends Error {
  override name = 'SquadPostprocessError';
}

/** One window (feature) of a question: logits per token and each token's character span in the context. */
export interface QaWindow {
  startLogits: ArrayLike<number>;
  endLogits: ArrayLike<number>;
  /** `[start, end)` in the context (UTF-16 units) for context tokens; null for question and special tokens. */
  offsets: ReadonlyArray<readonly [number, number] | null>;
  /**
   * Optional `token_is_max_context` of run_squad.py: a span may only start at a token for which this window has
   * the most context among the overlapping windows (avoids scoring the same token from a window edge).
   */
  maxContext?: ReadonlyArray<boolean>;
  /** Optional: each context token's whole word as a `[start, end)` span (HF pipelines' `align_to_words`). */
  wordSpans?: ReadonlyArray<readonly [number, number] | null>;
}

export interface QaPostprocessOptions {
  /** `n_best_size` (default 20): start/end candidates per window and n-best entries kept. */
  nBestSize?: number;
  /** `max_answer_length` in tokens (default 30). */
  maxAnswerLength?: number;
  /** SQuAD v2.0: score the null answer from the `[CLS]` logits (token 0) of every window (default false). */
  version2WithNegative?: boolean;
  /** v2.0: predict "" when `score_null - best_non_null_score` exceeds this (default 0.0). */
  nullScoreDiffThreshold?: number;
}

export interface NbestEntry {
  text: string;
  probability: number;
  start_logit: number;
  end_logit: number;
}

export interface QaPrediction {
  /** The predicted answer ("" for a v2.0 null prediction). */
  text: string;
  /** The n-best list in run_squad.py's nbest_predictions.json form. */
  nbest: NbestEntry[];
  /** v2.0: `score_null - best_non_null.start_logit - best_non_null.end_logit` (run_squad.py's null_odds.json). */
  scoreDiff?: number;
  /**
   * The best non-null span with its `[start, end)` in the context and its n-best probability (what HF's
   * question-answering pipeline answers); null when no window has a valid span.
   */
  best: QaSpan | null;
}

/** An answer span: its text, `[start, end)` in the context (UTF-16 units) and its n-best probability. */
export interface QaSpan {
  text: string;
  start: number;
  end: number;
  probability: number;
}

/** `_get_best_indexes`: indices of the n largest logits (stable: ties keep the lower index first). */
export function bestIndexes(logits: ArrayLike<number>, n: number): number[] {
  const idx = Array.from({ length: logits.length }, (_, i) => i);
  idx.sort((a, b) => logits[b] - logits[a]);
  return idx.slice(0, n);
}

/** `_compute_softmax` of run_squad.py (max-shifted). */
export function softmax(scores: number[]): number[] {
  if (scores.length === 0) return [];
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

interface Prelim {
  window: number;
  start: number;
  end: number;
  startLogit: number;
  endLogit: number;
  isNull: boolean;
}

/** Picks the best answer span of one question over all its windows (run_squad.py `write_predictions`). */
export function postprocessQa(context: string, windows: QaWindow[], options: QaPostprocessOptions = {}): QaPrediction {
  const nBest = options.nBestSize ?? 20;
  const maxLen = options.maxAnswerLength ?? 30;
  const v2 = options.version2WithNegative ?? false;
  const threshold = options.nullScoreDiffThreshold ?? 0.0;
  if (!Number.isInteger(nBest) || nBest < 1) throw new SquadPostprocessError(`nBestSize: expected an integer >= 1, got ${nBest}`);
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new SquadPostprocessError(`maxAnswerLength: expected an integer >= 1, got ${maxLen}`);
  const prelim: Prelim[] = [];
  let scoreNull = 1000000;
  let nullStart = 0;
  let nullEnd = 0;
  let nullWindow = 0;
  windows.forEach((w, wi) => {
    const n = w.offsets.length;
    if (w.startLogits.length !== n || w.endLogits.length !== n) {
      throw new SquadPostprocessError(`windows[${wi}]: expected ${n} start/end logits (one per offset), got ${w.startLogits.length}/${w.endLogits.length}`);
    }
    if (v2 && n > 0) {
      const featureNull = w.startLogits[0] + w.endLogits[0];
      if (featureNull < scoreNull) {
        scoreNull = featureNull;
        nullWindow = wi;
        nullStart = w.startLogits[0];
        nullEnd = w.endLogits[0];
      }
    }
    const starts = bestIndexes(w.startLogits, nBest);
    const ends = bestIndexes(w.endLogits, nBest);
    for (const s of starts) {
      for (const e of ends) {
        const so = w.offsets[s];
        const eo = w.offsets[e];
        if (!so || !eo) continue;
        if (w.maxContext && !w.maxContext[s]) continue;
        if (e < s || e - s + 1 > maxLen) continue;
        prelim.push({ window: wi, start: s, end: e, startLogit: w.startLogits[s], endLogit: w.endLogits[e], isNull: false });
      }
    }
  });
  if (v2 && windows.length > 0) {
    prelim.push({ window: nullWindow, start: 0, end: 0, startLogit: nullStart, endLogit: nullEnd, isNull: true });
  }
  prelim.sort((a, b) => b.startLogit + b.endLogit - (a.startLogit + a.endLogit));

  const seen = new Set<string>();
  const nbest: { text: string; startLogit: number; endLogit: number; span?: [number, number] }[] = [];
  for (const p of prelim) {
    if (nbest.length >= nBest) break;
    let text = '';
    let span: [number, number] | undefined;
    if (!p.isNull) {
      const w = windows[p.window];
      const so = w.offsets[p.start] as readonly [number, number];
      const eo = w.offsets[p.end] as readonly [number, number];
      span = [so[0], eo[1]];
      text = context.slice(so[0], eo[1]);
    }
    // run_squad.py de-duplicates non-null texts only; the (single) null entry is always kept.
    if (!p.isNull && seen.has(text)) continue;
    seen.add(text);
    nbest.push(span ? { text, startLogit: p.startLogit, endLogit: p.endLogit, span } : { text, startLogit: p.startLogit, endLogit: p.endLogit });
  }
  if (v2 && !seen.has('') && windows.length > 0) nbest.push({ text: '', startLogit: nullStart, endLogit: nullEnd });
  // run_squad.py's guards for the rare cases with no (non-null) candidate: a nonce "empty" entry.
  if (v2 && nbest.length === 1) nbest.unshift({ text: 'empty', startLogit: 0.0, endLogit: 0.0 });
  if (nbest.length === 0) nbest.push({ text: 'empty', startLogit: 0.0, endLogit: 0.0 });

  const probs = softmax(nbest.map((e) => e.startLogit + e.endLogit));
  const nbestJson: NbestEntry[] = nbest.map((e, i) => ({ text: e.text, probability: probs[i], start_logit: e.startLogit, end_logit: e.endLogit }));
  // the first entry with a span is the highest-scoring valid span (the nonce "empty" entries have none)
  const at = nbest.findIndex((e) => e.span !== undefined);
  const best: QaSpan | null = at < 0 ? null : { text: nbest[at].text, start: nbest[at].span![0], end: nbest[at].span![1], probability: probs[at] };
  if (!v2) return { text: nbestJson[0].text, nbest: nbestJson, best };
  const bestNonNull = nbest.find((e) => e.text !== '') as { text: string; startLogit: number; endLogit: number };
  const scoreDiff = scoreNull - bestNonNull.startLogit - bestNonNull.endLogit;
  return { text: scoreDiff > threshold ? '' : bestNonNull.text, nbest: nbestJson, scoreDiff, best };
}

/** One question to post-process: its id, its context and the windows (features) the model scored. */
export interface QaQuestionWindows {
  id: string;
  context: string;
  windows: QaWindow[];
}

export interface QaPredictionFiles {
  /** predictions.json contents (id → answer). */
  predictions: Record<string, string>;
  /** v2.0: null_odds.json contents (id → score_diff), usable as evaluate-v2.0.py's `--na-prob-file`. */
  nullOdds: Record<string, number>;
  /** nbest_predictions.json contents. */
  nbest: Record<string, NbestEntry[]>;
}

/** Post-processes every question (run_squad.py `write_predictions`), giving the three official files' contents. */
export function postprocessQaAll(questions: QaQuestionWindows[], options: QaPostprocessOptions = {}): QaPredictionFiles {
  const out: QaPredictionFiles = { predictions: {}, nullOdds: {}, nbest: {} };
  for (const q of questions) {
    const p = postprocessQa(q.context, q.windows, options);
    out.predictions[q.id] = p.text;
    out.nbest[q.id] = p.nbest;
    if (p.scoreDiff !== undefined) out.nullOdds[q.id] = p.scoreDiff;
  }
  return out;
}
