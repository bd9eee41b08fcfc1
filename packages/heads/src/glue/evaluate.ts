// Per-task GLUE scores (HF `glue` metric keys) and the GLUE submission format (`index<TAB>prediction`), so that
// `bert eval glue` scores a predictions file from anywhere against a labelled dev file.
import { cFixed } from '../conll/c-printf';
import { accuracy, f1Binary, matthewsCorrelation, pearson, spearman } from './metrics';
import { GlueFormatError, type GlueExample, labelTarget, splitTsv } from './reader';
import type { GlueTask } from './tasks';

/**
 * The task's metrics keyed as HF's `glue` metric returns them (`accuracy`, `f1`, `matthews_correlation`,
 * `pearson`, `spearmanr`), plus `combined_score` (their mean) when there are two, as HF run_glue.py adds.
 * `preds`/`targets` are class ids, or scores for STS-B.
 */
export function glueScores(task: GlueTask, preds: ArrayLike<number>, targets: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  switch (task.name) {
    case 'cola':
      out.matthews_correlation = matthewsCorrelation(preds, targets);
      break;
    case 'stsb':
      out.pearson = pearson(preds, targets);
      out.spearmanr = spearman(preds, targets);
      break;
    case 'mrpc':
    case 'qqp':
      out.accuracy = accuracy(preds, targets);
      out.f1 = f1Binary(preds, targets);
      break;
    default:
      out.accuracy = accuracy(preds, targets);
  }
  const values = Object.values(out);
  if (values.length > 1) out.combined_score = values.reduce((a, b) => a + b, 0) / values.length;
  return out;
}

/** Writes a GLUE submission file: `index<TAB>prediction` header, label strings (STS-B: `%.3f` scores). */
export function formatGluePredictions(task: GlueTask, rows: { id: string; prediction: number }[]): string {
  const lines = ['index\tprediction'];
  for (const r of rows) {
    const value = task.labels === null ? cFixed(r.prediction, 3) : task.labels[r.prediction];
    if (value === undefined) throw new GlueFormatError(`prediction for ${r.id}: expected a class id in [0, ${(task.labels as string[]).length - 1}], got ${r.prediction}`);
    lines.push(`${r.id}\t${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a submission-style predictions file (`index<TAB>prediction` with a header) → id → class id / score. */
export function parseGluePredictions(task: GlueTask, text: string): Map<string, number> {
  const rows = splitTsv(text);
  const out = new Map<string, number>();
  rows.forEach((f, r) => {
    if (r === 0) return; // header
    const where = `predictions line ${r + 1}`;
    if (f.length !== 2) throw new GlueFormatError(`${where}: expected 2 tab-separated fields (index, prediction), got ${f.length}`);
    if (out.has(f[0])) throw new GlueFormatError(`${where}: expected a unique index, got ${JSON.stringify(f[0])} again`);
    out.set(f[0], labelTarget(task, f[1], where));
  });
  return out;
}

/** Scores predictions (by id) against labelled examples; every example needs a prediction. */
export function evaluateGluePredictions(task: GlueTask, examples: GlueExample[], predictions: Map<string, number>): Record<string, number> {
  const preds: number[] = [];
  const targets: number[] = [];
  const missing: string[] = [];
  for (const ex of examples) {
    if (ex.target === undefined) throw new GlueFormatError(`example ${ex.id}: expected a label (a dev file), got none (a test file?)`);
    const p = predictions.get(ex.id);
    if (p === undefined) missing.push(ex.id);
    else {
      preds.push(p);
      targets.push(ex.target);
    }
  }
  if (missing.length > 0) throw new GlueFormatError(`predictions: expected one per example, missing ${missing.length} (first: ${missing.slice(0, 3).join(', ')})`);
  return glueScores(task, preds, targets);
}
