// SQuAD features (google-research/bert run_squad.py `convert_examples_to_features`, HF run_qa.py
// `prepare_train_features`): `[CLS] question [SEP] context [SEP]`, the question cut to `maxQueryLength` tokens,
// the context split into overlapping windows by the tokenizer's overflow (`maxSeqLength` 384, `docStride` 128
// tokens shared by consecutive windows, as HF's `stride`). Answer positions come from the tokens' character
// offsets in the context: a window that does not contain the whole answer (or an impossible question) points
// at [CLS] (index 0), as both scripts do.
import type { BertTokenizer, Encoding } from '@bertkit/tokenizer';
import { padRows, type TaskBatch } from '../common/batch';
import { HeadConfigError } from '../common/errors';
import type { FeatureLogits } from '../common/runner';
import type { QaQuestionWindows, QaWindow } from './postprocess';
import type { SquadExample } from './reader';
import { SQUAD_MAX_SEQ_LENGTH, SQUAD_DOC_STRIDE } from '../common/defaults';

export interface SquadFeatureOptions {
  maxSeqLength?: number;
  docStride?: number;
  maxQueryLength?: number;
}

export interface SquadFeature {
  /** Index of the example (question) in the list given to squadFeatures. */
  example: number;
  /** Window number within the example. */
  window: number;
  inputIds: number[];
  typeIds: number[];
  /** Per token: `[start, end)` in the context for context tokens, null otherwise. */
  offsets: ReadonlyArray<readonly [number, number] | null>;
  /** run_squad.py `token_is_max_context`. */
  maxContext: boolean[];
  /** Per token: `[start, end)` in the context of its whole word within this window (HF `word_to_chars`), null otherwise. */
  wordSpans: ReadonlyArray<readonly [number, number] | null>;
  /** Gold span token indices (training), 0/0 when the window lacks the answer or the question is impossible. */
  startPosition: number;
  endPosition: number;
}

/** The question text cut after its `maxQueryLength`-th token (by that token's offset: no re-joining). */
export function truncateQuestion(tokenizer: BertTokenizer, question: string, maxQueryLength: number): string {
  const enc = tokenizer.encode(question, null, { addSpecialTokens: false });
  if (enc.ids.length <= maxQueryLength) return question;
  return question.slice(0, enc.offsets[maxQueryLength - 1][1]);
}

/** Token span [first, last] of the context characters [start, end) in one window, or null if not all inside. */
export function spanInWindow(enc: Encoding, start: number, end: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let t = 0; t < enc.ids.length; t++) {
    if (enc.sequenceIds[t] !== 1) continue;
    if (first === -1) first = t;
    last = t;
  }
  if (first === -1 || enc.offsets[first][0] > start || enc.offsets[last][1] < end) return null;
  let s = first;
  while (s <= last && enc.offsets[s][0] <= start) s++; // HF run_qa.py: move past start_char, then step back
  s -= 1;
  let e = last;
  while (e >= first && enc.offsets[e][1] >= end) e--;
  e += 1;
  return [s, e];
}

/** Each context token's word as a character span: its first and last token in this window (HF `word_to_chars`). */
function wordSpansOf(w: Encoding): Array<readonly [number, number] | null> {
  const spans = new Map<number, [number, number]>();
  w.ids.forEach((_, t) => {
    const word = w.wordIds[t];
    if (w.sequenceIds[t] !== 1 || word === null) return;
    const s = spans.get(word);
    if (s) s[1] = w.offsets[t][1];
    else spans.set(word, [w.offsets[t][0], w.offsets[t][1]]);
  });
  return w.ids.map((_, t) => (w.sequenceIds[t] === 1 && w.wordIds[t] !== null ? spans.get(w.wordIds[t] as number)! : null));
}

function windowsOf(enc: Encoding): Encoding[] {
  return [enc, ...enc.overflowing];
}

/**
 * run_squad.py `_check_is_max_context`: a context token belongs to the window where min(left, right context) +
 * 0.01 · window length is largest. Tokens are matched across windows by their character start (unique per token).
 */
function maxContextFlags(windows: Encoding[]): boolean[][] {
  const spans = windows.map((w) => {
    const pos = new Map<number, number>();
    let first = -1;
    let len = 0;
    w.ids.forEach((_, t) => {
      if (w.sequenceIds[t] !== 1) return;
      if (first < 0) first = t;
      len++;
      pos.set(w.offsets[t][0], t);
    });
    return { first, len, pos };
  });
  return windows.map((w, wi) =>
    w.ids.map((_, t) => {
      if (w.sequenceIds[t] !== 1) return false;
      const ch = w.offsets[t][0];
      let bestScore = -1;
      let best = -1;
      spans.forEach(({ first, len, pos }, oi) => {
        const p = pos.get(ch);
        if (p === undefined) return;
        const score = Math.min(p - first, first + len - 1 - p) + 0.01 * len;
        if (score > bestScore) [bestScore, best] = [score, oi];
      });
      return best === wi;
    }),
  );
}

/** Every window of every example. */
export function squadFeatures(tokenizer: BertTokenizer, examples: SquadExample[], options: SquadFeatureOptions = {}): SquadFeature[] {
  const maxSeqLength = options.maxSeqLength ?? SQUAD_MAX_SEQ_LENGTH;
  const docStride = options.docStride ?? SQUAD_DOC_STRIDE;
  const maxQueryLength = options.maxQueryLength ?? 64;
  if (maxQueryLength + 3 >= maxSeqLength) throw new HeadConfigError('maxQueryLength', `< maxSeqLength - 3 (${maxSeqLength - 3})`, String(maxQueryLength));
  const out: SquadFeature[] = [];
  examples.forEach((ex, ei) => {
    const q = truncateQuestion(tokenizer, ex.question, maxQueryLength);
    const enc = tokenizer.encode(q, ex.context, { maxLength: maxSeqLength, truncation: 'only_second', stride: docStride, returnOverflowing: true });
    const windows = windowsOf(enc);
    const flags = maxContextFlags(windows);
    const gold = ex.answers[0];
    windows.forEach((w, wi) => {
      const span = ex.isImpossible || gold === undefined ? null : spanInWindow(w, gold.start, gold.end);
      out.push({
        example: ei,
        window: wi,
        inputIds: w.ids,
        typeIds: w.typeIds,
        offsets: w.offsets.map((o, t) => (w.sequenceIds[t] === 1 ? o : null)),
        maxContext: flags[wi],
        wordSpans: wordSpansOf(w),
        startPosition: span ? span[0] : 0,
        endPosition: span ? span[1] : 0,
      });
    });
  });
  return out;
}

export function collateSquad(features: SquadFeature[], padId: number): TaskBatch {
  const b = padRows(features.map((f) => [f]), padId);
  return { ...b, startPositions: Int32Array.from(features, (f) => f.startPosition), endPositions: Int32Array.from(features, (f) => f.endPosition) };
}

/** Groups features' logits ([T, 2] each) per question, ready for postprocessQaAll. */
export function squadWindows(examples: SquadExample[], features: SquadFeature[], logits: FeatureLogits[]): QaQuestionWindows[] {
  const out: QaQuestionWindows[] = examples.map((ex) => ({ id: ex.id, context: ex.context, windows: [] as QaWindow[] }));
  features.forEach((f, i) => {
    const n = f.inputIds.length;
    const l = logits[i];
    const start = new Float32Array(n);
    const end = new Float32Array(n);
    for (let t = 0; t < n; t++) {
      start[t] = l.data[t * 2];
      end[t] = l.data[t * 2 + 1];
    }
    out[f.example].windows.push({ startLogits: start, endLogits: end, offsets: f.offsets, maxContext: f.maxContext, wordSpans: f.wordSpans });
  });
  return out;
}
