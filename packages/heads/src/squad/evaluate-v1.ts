// The official SQuAD v1.1 evaluation (evaluate-v1.1.py), step for step: max over gold answers of exact match
// and token-bag F1 on normalised answers; an unanswered question counts in the total with score 0 (the script
// prints "Unanswered question <id> will receive score 0." to stderr — returned here as `warnings`).
import { normalizeAnswer, pySplit } from './normalize';
import { pyJsonDumps } from './py-json';
import type { SquadDataset } from './reader';

/** Evaluation input the official script cannot score (it would raise): the message names the question. */
export class SquadEvalError extends Error {
  override name = 'SquadEvalError';
}

/** `f1_score(prediction, ground_truth)` of evaluate-v1.1.py (0 when nothing is shared, even if both are empty). */
export function f1ScoreV1(prediction: string, groundTruth: string): number {
  const predTokens = pySplit(normalizeAnswer(prediction));
  const goldTokens = pySplit(normalizeAnswer(groundTruth));
  const numSame = commonCount(predTokens, goldTokens);
  if (numSame === 0) return 0;
  const precision = (1.0 * numSame) / predTokens.length;
  const recall = (1.0 * numSame) / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

/** `exact_match_score(prediction, ground_truth)` of evaluate-v1.1.py, as 0/1. */
export function exactMatchV1(prediction: string, groundTruth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(groundTruth) ? 1 : 0;
}

/** `sum((Counter(a) & Counter(b)).values())`: the size of the multiset intersection. */
export function commonCount(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of b) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  return same;
}

export interface SquadV1Eval {
  exact_match: number;
  f1: number;
}

export interface SquadV1Result {
  scores: SquadV1Eval;
  /** What the script prints to stderr: the version mismatch and one line per unanswered question. */
  warnings: string[];
}

/** Runs evaluate-v1.1.py's `evaluate(dataset, predictions)` (and its version check). */
export function evaluateSquadV1(dataset: SquadDataset, predictions: Record<string, string>): SquadV1Result {
  const warnings: string[] = [];
  if (dataset.version !== '1.1') {
    warnings.push(`Evaluation expects v-1.1, but got dataset with v-${dataset.version}`);
  }
  let f1 = 0;
  let exact = 0;
  let total = 0;
  for (const qa of dataset.examples) {
    total += 1;
    if (!Object.prototype.hasOwnProperty.call(predictions, qa.id)) {
      warnings.push(`Unanswered question ${qa.id} will receive score 0.`);
      continue;
    }
    const prediction = predictions[qa.id];
    if (typeof prediction !== 'string') {
      throw new SquadEvalError(`prediction for ${qa.id}: expected a string, got ${JSON.stringify(prediction)}`);
    }
    if (qa.answers.length === 0) {
      // max() over an empty list raises in the script (a v2.0 unanswerable question given to the v1.1 evaluator).
      throw new SquadEvalError(`question ${qa.id}: expected at least one gold answer (v1.1 evaluation), got 0`);
    }
    let bestExact = -Infinity;
    let bestF1 = -Infinity;
    for (const a of qa.answers) {
      bestExact = Math.max(bestExact, exactMatchV1(prediction, a.text));
      bestF1 = Math.max(bestF1, f1ScoreV1(prediction, a.text));
    }
    exact += bestExact;
    f1 += bestF1;
  }
  if (total === 0) throw new SquadEvalError('dataset: expected at least one question, got 0');
  return { scores: { exact_match: (100.0 * exact) / total, f1: (100.0 * f1) / total }, warnings };
}

/** What evaluate-v1.1.py prints: `json.dumps({"exact_match": ..., "f1": ...})` (no trailing newline). */
export function formatSquadV1Eval(scores: SquadV1Eval): string {
  return pyJsonDumps({ exact_match: scores.exact_match, f1: scores.f1 });
}
