// Scores of a sequence-classification head from its logits [K], as HF's text-classification pipeline computes
// them (transformers/pipelines/text_classification.py): `classScores` by `problem_type` — softmax over the labels
// (single-label), an independent sigmoid per label (multi-label), the raw value (regression) — and the pipeline's
// `function_to_apply` (its default: sigmoid for multi-label or one output, softmax otherwise) with labels ranked
// by id2label for `top_k`. Pure: the server, the CLI, the web demo and bertkit's pipeline() call it on read logits.
import type { BertConfig } from '@bertkit/encoder';
import { softmax } from '../squad/postprocess';
import { TaskInputError } from './errors';
import { problemTypeOf, type ProblemType } from './task-model';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Per-label scores of one row of logits [K]. */
export function classScores(logits: ArrayLike<number>, problemType: ProblemType): number[] {
  const x = Array.from(logits);
  if (problemType === 'single_label_classification') return softmax(x);
  if (problemType === 'multi_label_classification') return x.map(sigmoid);
  return x;
}

/** HF `ClassificationFunction`. */
export type ClassFunction = 'softmax' | 'sigmoid' | 'none';

export const CLASS_FUNCTIONS: readonly ClassFunction[] = ['softmax', 'sigmoid', 'none'];

export interface LabelScore {
  label: string;
  score: number;
}

/** HF's default `function_to_apply`: sigmoid for multi-label or a single output, softmax otherwise. */
export function defaultClassFunction(config: BertConfig): ClassFunction {
  if (config.numLabels === 1) return 'sigmoid';
  return problemTypeOf(config) === 'multi_label_classification' ? 'sigmoid' : 'softmax';
}

/** Applies `fn` to one row of logits. */
export function applyClassFunction(logits: ArrayLike<number>, fn: ClassFunction): number[] {
  const x = Array.from(logits);
  if (fn === 'softmax') return softmax(x);
  if (fn === 'sigmoid') return x.map(sigmoid);
  if (fn === 'none') return x;
  throw new TaskInputError('function_to_apply', CLASS_FUNCTIONS.join(' | '), JSON.stringify(fn));
}

/** The label of class `i` as HF names it: config id2label, else `LABEL_i`. */
export function labelOf(config: Pick<BertConfig, 'id2label'>, i: number): string {
  return config.id2label?.[String(i)] ?? `LABEL_${i}`;
}

/** Every label with its score, highest first (HF with `top_k` set; `topK` null keeps all). */
export function rankLabels(config: Pick<BertConfig, 'id2label'>, scores: readonly number[], topK: number | null): LabelScore[] {
  if (topK !== null && !(Number.isInteger(topK) && topK >= 1)) throw new TaskInputError('top_k', 'a positive integer or null', String(topK));
  const all = scores.map((score, i) => ({ label: labelOf(config, i), score }));
  all.sort((a, b) => b.score - a.score);
  return topK === null ? all : all.slice(0, topK);
}
