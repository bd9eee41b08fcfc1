// `bert eval squad`: picks the official script by the dataset's `version` ("1.1" → evaluate-v1.1.py, else
// evaluate-v2.0.py, whose logic also scores v1.1 files) and returns what it would print.
import { SquadEvalError, type SquadV1Eval, evaluateSquadV1, formatSquadV1Eval } from './evaluate-v1';
import { type SquadV2Eval, type SquadV2Options, evaluateSquadV2, formatSquadV2Eval } from './evaluate-v2';
import type { SquadDataset } from './reader';

export type SquadScript = 'v1.1' | 'v2.0';

export interface SquadOfficialResult {
  script: SquadScript;
  scores: SquadV1Eval | SquadV2Eval;
  /** What the script writes to stderr (v1.1: version mismatch, unanswered questions). */
  warnings: string[];
  /** What the script prints to stdout, without the final newline. */
  text: string;
}

/** Runs the official evaluation for a dataset: `script` defaults to v1.1 for version "1.1", v2.0 otherwise. */
export function evaluateSquadOfficial(dataset: SquadDataset, predictions: Record<string, string>, options: SquadV2Options & { script?: SquadScript } = {}): SquadOfficialResult {
  const script = options.script ?? (dataset.version === '1.1' ? 'v1.1' : 'v2.0');
  if (script === 'v1.1') {
    if (options.naProbs !== undefined) throw new SquadEvalError('naProbs: expected none with the v1.1 script (evaluate-v1.1.py has no --na-prob-file), got a file');
    const r = evaluateSquadV1(dataset, predictions);
    return { script, scores: r.scores, warnings: r.warnings, text: formatSquadV1Eval(r.scores) };
  }
  const scores = evaluateSquadV2(dataset, predictions, options);
  return { script, scores, warnings: [], text: formatSquadV2Eval(scores) };
}
