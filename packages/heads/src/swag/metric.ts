// SWAG accuracy: the predicted ending is the arg-max of the 4 choice scores (softmax does not change it).

/** Bad metric input: the message names the row, the expected and the actual value. */
export class SwagMetricError extends Error {
  override name = 'SwagMetricError';
}

/** Index of the largest score (the first on ties, like numpy argmax). */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** Fraction of examples whose highest-scoring choice is the label. */
export function swagAccuracy(scores: ArrayLike<number>[], labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new SwagMetricError(`scores: expected ${labels.length} rows (one per label), got ${scores.length}`);
  if (scores.length === 0) throw new SwagMetricError('scores: expected at least 1 row, got 0');
  let ok = 0;
  scores.forEach((s, i) => {
    if (s.length !== 4) throw new SwagMetricError(`scores[${i}]: expected 4 choice scores, got ${s.length}`);
    if (argmax(s) === labels[i]) ok++;
  });
  return ok / scores.length;
}
