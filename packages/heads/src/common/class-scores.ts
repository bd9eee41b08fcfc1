// Scores of a sequence-classification head from its logits [K], as HF's text-classification pipeline computes
// them for each `problem_type`: softmax over the labels (single-label), an independent sigmoid per label
// (multi-label), the raw value (regression). Pure: the server, the CLI and the web demo call it on read logits.
import { softmax } from '../squad/postprocess';
import type { ProblemType } from './task-model';

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

