// Answers as HF's `QuestionAnsweringPipeline` gives them (transformers/pipelines/question_answering.py
// `select_starts_ends`, `decode_spans`, `postprocess`): per window, softmax of the start and end logits over the
// context tokens and [CLS]; a span's score is p_start · p_end (end ≥ start, at most `max_answer_len` tokens);
// [CLS]'s p_start · p_end is the null score. Unlike run_squad.py's n-best (postprocess.ts), scores are not
// renormalised over candidates. Character offsets come from the tokenizer (no de-tokenisation heuristics).
import { SquadPostprocessError, type QaWindow } from './postprocess';

export interface PipelineAnswer {
  score: number;
  /** `[start, end)` of the answer in the context (UTF-16 units); 0, 0 for the null answer. */
  start: number;
  end: number;
  answer: string;
}

export interface PipelineAnswerOptions {
  /** Answers to return (default 1). */
  topK?: number;
  /** Longest answer in tokens (HF `max_answer_len`, default 15). */
  maxAnswerLen?: number;
  /** Add the null answer `{answer: '', start: 0, end: 0}` scored by the smallest [CLS] score (SQuAD v2.0). */
  handleImpossibleAnswer?: boolean;
  /** Widen start and end to whole words (HF `align_to_words`, default true; needs the windows' `wordSpans`). */
  alignToWords?: boolean;
}

/** HF's masked softmax: tokens outside the context (except [CLS] at 0) get logit -10000 first. */
function maskedSoftmax(logits: ArrayLike<number>, allowed: readonly boolean[]): Float64Array {
  const x = Float64Array.from(allowed, (a, t) => (a ? logits[t] : -10000));
  let max = -Infinity;
  for (const v of x) max = Math.max(max, v);
  let sum = 0;
  for (let t = 0; t < x.length; t++) sum += x[t] = Math.exp(x[t] - max);
  for (let t = 0; t < x.length; t++) x[t] /= sum;
  return x;
}

interface Span {
  window: number;
  s: number;
  e: number;
  score: number;
}

/** The top-k spans of one window by p_start · p_end (ties in HF's flat order: by start, then end). */
function windowSpans(w: QaWindow, wi: number, maxLen: number, topK: number): { spans: Span[]; nullScore: number } {
  const n = w.offsets.length;
  if (w.startLogits.length !== n || w.endLogits.length !== n) {
    throw new SquadPostprocessError(`windows[${wi}]: expected ${n} start/end logits (one per offset), got ${w.startLogits.length}/${w.endLogits.length}`);
  }
  const allowed = w.offsets.map((o, t) => o !== null || t === 0);
  const start = maskedSoftmax(w.startLogits, allowed);
  const end = maskedSoftmax(w.endLogits, allowed);
  const nullScore = start[0] * end[0];
  start[0] = end[0] = 0; // HF: "Mask CLS"
  const spans: Span[] = [];
  for (let s = 0; s < n; s++) {
    if (!allowed[s]) continue;
    for (let e = s; e < Math.min(n, s + maxLen); e++) if (allowed[e]) spans.push({ window: wi, s, e, score: start[s] * end[e] });
  }
  spans.sort((a, b) => b.score - a.score || a.s - b.s || a.e - b.e);
  return { spans: spans.slice(0, topK), nullScore };
}

/** HF `get_indices`: word-aligned character span, else the tokens' own offsets ([CLS]: 0, 0). */
function charSpan(w: QaWindow, s: number, e: number, align: boolean): [number, number] {
  const ws = w.wordSpans?.[s];
  const we = w.wordSpans?.[e];
  if (align && ws && we) return [ws[0], we[1]];
  return [w.offsets[s]?.[0] ?? 0, w.offsets[e]?.[1] ?? 0];
}

/** HF `QuestionAnsweringPipeline.postprocess` over every window of one question: the `topK` best answers. */
export function pipelineAnswers(context: string, windows: readonly QaWindow[], options: PipelineAnswerOptions = {}): PipelineAnswer[] {
  const topK = options.topK ?? 1;
  const maxLen = options.maxAnswerLen ?? 15;
  if (!Number.isInteger(topK) || topK < 1) throw new SquadPostprocessError(`top_k: expected an integer >= 1, got ${topK}`);
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new SquadPostprocessError(`max_answer_len: expected an integer >= 1, got ${maxLen}`);
  const align = options.alignToWords ?? true;
  let minNull = 1000000;
  const answers: PipelineAnswer[] = [];
  windows.forEach((w, wi) => {
    const { spans, nullScore } = windowSpans(w, wi, maxLen, topK);
    minNull = Math.min(minNull, nullScore);
    for (const sp of spans) {
      const [start, end] = charSpan(w, sp.s, sp.e, align);
      answers.push({ score: sp.score, start, end, answer: context.slice(start, end) });
    }
  });
  if (options.handleImpossibleAnswer) answers.push({ score: minNull, start: 0, end: 0, answer: '' });
  // Python's sorted is stable: equal scores keep window order.
  return answers.map((a, i) => [a, i] as const).sort((x, y) => y[0].score - x[0].score || x[1] - y[1]).slice(0, topK).map(([a]) => a);
}
