// GLUE metrics as HF's `glue` metric computes them (sklearn accuracy_score / f1_score / matthews_corrcoef, scipy
// pearsonr / spearmanr), including their degenerate cases:
// - F1 with no positive prediction and no positive label: 0.0 (sklearn's zero_division default).
// - Matthews correlation when predictions (or labels) are constant: 0.0 (sklearn returns 0 when the
//   denominator is 0) — e.g. a CoLA model that always says "acceptable" scores 0, not NaN.
// - Pearson / Spearman when either side is constant: NaN (scipy warns ConstantInputWarning and returns nan).
// Values are fractions in [0, 1] (or [-1, 1]), as HF reports them.

/** Inputs the metric cannot take (different lengths, empty): the message names both sizes. */
export class MetricError extends Error {
  override name = 'MetricError';
}

function check(a: ArrayLike<number>, b: ArrayLike<number>, min = 1): void {
  if (a.length !== b.length) throw new MetricError(`predictions: expected ${b.length} values (one per label), got ${a.length}`);
  if (a.length < min) throw new MetricError(`predictions: expected at least ${min} values, got ${a.length}`);
}

/** Fraction of predictions equal to the label. */
export function accuracy(preds: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(preds, labels);
  let ok = 0;
  for (let i = 0; i < preds.length; i++) if (preds[i] === labels[i]) ok++;
  return ok / preds.length;
}

/** Binary F1 of the positive class (label 1): `2·tp / (2·tp + fp + fn)`, 0 when there is nothing positive. */
export function f1Binary(preds: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): number {
  check(preds, labels);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < preds.length; i++) {
    const p = preds[i] === positive;
    const l = labels[i] === positive;
    if (p && l) tp++;
    else if (p) fp++;
    else if (l) fn++;
  }
  const denom = 2 * tp + fp + fn;
  return denom === 0 ? 0 : (2 * tp) / denom;
}

/**
 * Matthews correlation (sklearn `matthews_corrcoef`, multiclass form from the confusion matrix): integer
 * covariances computed exactly, 0 when a side is constant.
 */
export function matthewsCorrelation(preds: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(preds, labels);
  const t = new Map<number, number>();
  const p = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < preds.length; i++) {
    t.set(labels[i], (t.get(labels[i]) ?? 0) + 1);
    p.set(preds[i], (p.get(preds[i]) ?? 0) + 1);
    if (preds[i] === labels[i]) correct++;
  }
  const n = BigInt(preds.length);
  let tp = 0n;
  for (const [k, v] of t) tp += BigInt(v) * BigInt(p.get(k) ?? 0);
  let pp = 0n;
  for (const v of p.values()) pp += BigInt(v) * BigInt(v);
  let tt = 0n;
  for (const v of t.values()) tt += BigInt(v) * BigInt(v);
  const covYtYp = BigInt(correct) * n - tp;
  const covYpYp = n * n - pp;
  const covYtYt = n * n - tt;
  if (covYpYp * covYtYt === 0n) return 0.0;
  return Number(covYtYp) / Math.sqrt(Number(covYtYt * covYpYp));
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Pearson's r (scipy `pearsonr`: centred, scaled by the max deviation, then normalised; clipped to [-1, 1]). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  check(x, y, 2);
  if (isConstant(x) || isConstant(y)) return NaN;
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  const xm = Float64Array.from(x as ArrayLike<number>, (v) => v - mx);
  const ym = Float64Array.from(y as ArrayLike<number>, (v) => v - my);
  const scale = (a: Float64Array) => {
    let m = 0;
    for (const v of a) m = Math.max(m, Math.abs(v));
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      a[i] /= m;
      s += a[i] * a[i];
    }
    const norm = Math.sqrt(s);
    for (let i = 0; i < a.length; i++) a[i] /= norm;
  };
  scale(xm);
  scale(ym);
  let r = 0;
  for (let i = 0; i < n; i++) r += xm[i] * ym[i];
  return Math.max(-1, Math.min(1, r));
}

/** Ranks 1..n with ties given their average rank (scipy `rankdata(method="average")`). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const ranks = new Float64Array(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]] = avg;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho: Pearson's r of the average ranks (NaN when a side is constant). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  check(x, y, 2);
  if (isConstant(x) || isConstant(y)) return NaN;
  return pearson(averageRanks(x), averageRanks(y));
}
