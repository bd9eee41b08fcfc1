// Prediction on raw inputs for the apps (`bert predict`, the server): one function per head kind, softmax scores
// with label names from the config (id2label), answers sliced from the context by offsets.
import type { BertTokenizer } from '@bertkit/tokenizer';
import { postprocessQa, softmax } from '../squad/postprocess';
import { squadFeatures, squadWindows } from '../squad/features';
import { collateSquad } from '../squad/features';
import { TaskInputError } from './errors';
import { predictLogits, type FeatureLogits } from './runner';
import type { ExternalForward } from './external-forward';
import type { TaskBatch } from './batch';
import { collateSequences, encodeSequence } from './sequence-features';
import { collateTokens, encodeWords, wordPredictions } from './token-features';
import { padRows } from './batch';
import type { BertTaskModel, HeadKind } from './task-model';
import { MAX_SEQ_LENGTH } from './defaults';

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

/** A prediction: the features, how to batch them, and what to make of their logits (read awaited). */
interface Plan<F, R> {
  features: F[];
  collate: (fs: F[]) => TaskBatch;
  finish: (logits: FeatureLogits[]) => R;
}

/** `forward`: an external engine (ONNX Runtime) of the same checkpoint computes the logits instead of tfjs. */
async function runPlan<F, R>(model: BertTaskModel, plan: Plan<F, R>, forward?: ExternalForward): Promise<R> {
  return plan.finish(await predictLogits(forward ?? model, plan.features, plan.collate));
}

type PairInputs = ReadonlyArray<string | readonly [string, string]>;

function classifyPlan(model: BertTaskModel, tokenizer: BertTokenizer, inputs: PairInputs, maxLength: number) {
  expectKind(model, 'sequence-classification');
  const features = inputs.map((x) => (typeof x === 'string' ? encodeSequence(tokenizer, x, undefined, 0, maxLength) : encodeSequence(tokenizer, x[0], x[1], 0, maxLength)));
  return {
    features,
    collate: (b: typeof features) => collateSequences(b, tokenizer.padTokenId),
    finish: (logits: FeatureLogits[]): ClassPrediction[] =>
      logits.map((l) => {
        if (model.numLabels === 1) return { label: 'score', scores: { score: l.data[0] }, score: l.data[0] };
        const p = softmax(Array.from(l.data));
        const best = p.indexOf(Math.max(...p));
        return { label: labelName(model, best), score: p[best], scores: Object.fromEntries(p.map((x, i) => [labelName(model, i), x])) };
      }),
  };
}

/** Sequence classification of texts or [A, B] pairs. Regression models return the predicted value as `score`. */
export async function classify(model: BertTaskModel, tokenizer: BertTokenizer, inputs: PairInputs, maxLength = MAX_SEQ_LENGTH, forward?: ExternalForward): Promise<ClassPrediction[]> {
  return runPlan(model, classifyPlan(model, tokenizer, inputs, maxLength), forward);
}

function tagPlan(model: BertTaskModel, tokenizer: BertTokenizer, sentences: ReadonlyArray<readonly string[]>, maxLength: number) {
  expectKind(model, 'token-classification');
  const features = sentences.map((w) => encodeWords(tokenizer, w, null, maxLength));
  return {
    features,
    collate: (b: typeof features) => collateTokens(b, tokenizer.padTokenId),
    finish: (logits: FeatureLogits[]) =>
      features.map((f, i) => wordPredictions(f, logits[i], 0).map((l, j) => ({ word: sentences[i][j], label: labelName(model, l) }))),
  };
}

/** Token classification of pre-split sentences: one label per word (from its first sub-token). */
export async function tagWords(model: BertTaskModel, tokenizer: BertTokenizer, sentences: ReadonlyArray<readonly string[]>, maxLength = MAX_SEQ_LENGTH, forward?: ExternalForward): Promise<{ word: string; label: string }[][]> {
  return runPlan(model, tagPlan(model, tokenizer, sentences, maxLength), forward);
}

export interface AnswerPrediction {
  answer: string;
  /** n-best probability of the answer. */
  score: number;
}

type QaOptions = { version2WithNegative?: boolean; maxSeqLength?: number; docStride?: number };

function answerPlan(model: BertTaskModel, tokenizer: BertTokenizer, question: string, context: string, options: QaOptions) {
  expectKind(model, 'question-answering');
  const ex = { id: 'q', title: '', question, context, answers: [], isImpossible: false, plausibleAnswers: [] };
  const features = squadFeatures(tokenizer, [ex], options);
  return {
    features,
    collate: (b: typeof features) => collateSquad(b, tokenizer.padTokenId),
    finish: (logits: FeatureLogits[]): AnswerPrediction => {
      const [q] = squadWindows([ex], features, logits);
      const p = postprocessQa(context, q.windows, { version2WithNegative: options.version2WithNegative });
      const top = p.nbest.find((e) => e.text === p.text);
      return { answer: p.text, score: top?.probability ?? 0 };
    },
  };
}

/** Extractive QA over every window of the context (n-best as run_squad.py); "" when the null answer wins (v2). */
export async function answerQuestion(model: BertTaskModel, tokenizer: BertTokenizer, question: string, context: string, options: QaOptions = {}, forward?: ExternalForward): Promise<AnswerPrediction> {
  return runPlan(model, answerPlan(model, tokenizer, question, context, options), forward);
}

function choosePlan(model: BertTaskModel, tokenizer: BertTokenizer, context: string | readonly string[], choices: readonly string[], maxLength: number) {
  expectKind(model, 'multiple-choice');
  if (choices.length < 2) throw new TaskInputError('choices', 'at least 2', String(choices.length));
  if (typeof context !== 'string' && context.length !== choices.length) throw new TaskInputError('context', `one context per choice (${choices.length})`, String(context.length));
  const rows = choices.map((c, i) => {
    const enc = tokenizer.encode(typeof context === 'string' ? context : context[i], c, { maxLength, truncation: 'longest_first' });
    return { inputIds: enc.ids, typeIds: enc.typeIds };
  });
  return {
    features: [rows],
    collate: (b: (typeof rows)[]) => padRows(b, tokenizer.padTokenId, true),
    finish: ([l]: FeatureLogits[]) => {
      const p = softmax(Array.from(l.data));
      return { choice: p.indexOf(Math.max(...p)), scores: p };
    },
  };
}

/** Multiple choice: softmax over `[CLS] context [SEP] choice [SEP]` scores (one context, or one per choice as in SWAG). */
export async function chooseEnding(model: BertTaskModel, tokenizer: BertTokenizer, context: string | readonly string[], choices: readonly string[], maxLength = MAX_SEQ_LENGTH, forward?: ExternalForward): Promise<{ choice: number; scores: number[] }> {
  return runPlan(model, choosePlan(model, tokenizer, context, choices, maxLength), forward);
}
