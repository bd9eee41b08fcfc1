// Python's `round(float(x), 6)` as extract_features.py writes values: correctly rounded on the exact binary value,
// ties (exactly representable halves such as 0.0078125) to even.

export function roundLikePython(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** digits;
  const y = x * scale;
  const frac = Math.abs(y - Math.trunc(y));
  if (frac === 0.5 && (Math.trunc(y) + Math.sign(y) * 0.5) / scale === x) {
    const lo = Math.trunc(y);
    const even = lo % 2 === 0 ? lo : lo + Math.sign(y);
    return even / scale;
  }
  return Number(x.toFixed(digits));
}
