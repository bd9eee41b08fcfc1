// Prediction on raw inputs for the apps (`bert predict`, the server): one function per head kind, softmax scores
// with label names from the config (id2label), answers sliced from the context by offsets.
import type { BertTokenizer } from '@bertkit/tokenizer';
import { postprocessQa, softmax } from '../squad/postprocess';
import { squadFeatures, squadWindows } from '../squad/features';
import { collateSquad } from '../squad/features';
import { TaskInputError } from './errors';
import { predictLogits } from './runner';
import { collateSequences, encodeSequence } from './sequence-features';
import { collateTokens, encodeWords, wordPredictions } from './token-features';
import { padRows } from './batch';
import type { BertTaskModel, HeadKind } from './task-model';

function expectKind(model: BertTaskModel, kind: HeadKind): void {
  if (model.kind !== kind) throw new TaskInputError('model', `a ${kind} model`, `a ${model.kind} model`);
}

const labelName = (model: BertTaskModel, i: number) => model.config.id2label?.[String(i)] ?? `LABEL_${i}`;

export interface ClassPrediction {
  label: string;
  /** Softmax probability per label (regression: the score itself under `score`). */
  scores: Record<string, number>;
  score: number;
}

/** Sequence classification of texts or [A, B] pairs. Regression models return the predicted value as `score`. */
export function classify(model: BertTaskModel, tokenizer: BertTokenizer, inputs: ReadonlyArray<string | readonly [string, string]>, maxLength = 128): ClassPrediction[] {
  expectKind(model, 'sequence-classification');
  const fs = inputs.map((x) => (typeof x === 'string' ? encodeSequence(tokenizer, x, undefined, 0, maxLength) : encodeSequence(tokenizer, x[0], x[1], 0, maxLength)));
  return predictLogits(model, fs, (b) => collateSequences(b, tokenizer.padTokenId)).map((l) => {
    if (model.numLabels === 1) return { label: 'score', scores: { score: l.data[0] }, score: l.data[0] };
    const p = softmax(Array.from(l.data));
    const best = p.indexOf(Math.max(...p));
    return { label: labelName(model, best), score: p[best], scores: Object.fromEntries(p.map((x, i) => [labelName(model, i), x])) };
  });
}

/** Token classification of pre-split sentences: one label per word (from its first sub-token). */
export function tagWords(model: BertTaskModel, tokenizer: BertTokenizer, sentences: ReadonlyArray<readonly string[]>, maxLength = 128): { word: string; label: string }[][] {
  expectKind(model, 'token-classification');
  const fs = sentences.map((w) => encodeWords(tokenizer, w, null, maxLength));
  const logits = predictLogits(model, fs, (b) => collateTokens(b, tokenizer.padTokenId));
  return fs.map((f, i) => wordPredictions(f, logits[i], 0).map((l, j) => ({ word: sentences[i][j], label: labelName(model, l) })));
}

export interface AnswerPrediction {
  answer: string;
  /** n-best probability of the answer. */
  score: number;
}

/** Extractive QA over every window of the context (n-best as run_squad.py); "" when the null answer wins (v2). */
export function answerQuestion(model: BertTaskModel, tokenizer: BertTokenizer, question: string, context: string, options: { version2WithNegative?: boolean; maxSeqLength?: number; docStride?: number } = {}): AnswerPrediction {
  expectKind(model, 'question-answering');
  const ex = { id: 'q', title: '', question, context, answers: [], isImpossible: false, plausibleAnswers: [] };
  const fs = squadFeatures(tokenizer, [ex], options);
  const logits = predictLogits(model, fs, (b) => collateSquad(b, tokenizer.padTokenId));
  const [q] = squadWindows([ex], fs, logits);
  const p = postprocessQa(context, q.windows, { version2WithNegative: options.version2WithNegative });
  const top = p.nbest.find((e) => e.text === p.text);
  return { answer: p.text, score: top?.probability ?? 0 };
}

/** Multiple choice: softmax over `[CLS] context [SEP] choice [SEP]` scores. */
export function chooseEnding(model: BertTaskModel, tokenizer: BertTokenizer, context: string, choices: readonly string[], maxLength = 128): { choice: number; scores: number[] } {
  expectKind(model, 'multiple-choice');
  if (choices.length < 2) throw new TaskInputError('choices', 'at least 2', String(choices.length));
  const rows = choices.map((c) => {
    const enc = tokenizer.encode(context, c, { maxLength, truncation: 'longest_first' });
    return { inputIds: enc.ids, typeIds: enc.typeIds };
  });
  const [l] = predictLogits(model, [rows], (b) => padRows(b, tokenizer.padTokenId, true));
  const p = softmax(Array.from(l.data));
  return { choice: p.indexOf(Math.max(...p)), scores: p };
}
