// Softmax over one row of logits and its k most likely entries, on the CPU: fill-mask from [B, T, V] logits that
// an external engine returned (the tfjs path computes the same on the backend, @bertkit/encoder's maskedTopK).

/**
 * The `k` largest softmax probabilities of `row` (ids and probabilities, best first; ties keep the lower id).
 * `targets`: rank only these ids, with their probabilities under the softmax over the whole row (HF fill-mask
 * `targets`: not renormalised); k is then at most their number.
 */
export function topKSoftmax(row: ArrayLike<number>, k: number, targets?: ArrayLike<number>): { ids: number[]; probs: number[] } {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  const candidates = targets === undefined ? Array.from({ length: row.length }, (_, i) => i) : Array.from(targets);
  const n = Math.min(k, candidates.length);
  // Partial selection: keep the n best seen so far in a sorted list (n is small next to the vocabulary).
  const best: number[] = [];
  for (const id of candidates) {
    const v = row[id];
    if (best.length === n && !(v > row[best[n - 1]])) continue;
    let at = best.length;
    while (at > 0 && (v > row[best[at - 1]] || (v === row[best[at - 1]] && id < best[at - 1]))) at--;
    best.splice(at, 0, id);
    if (best.length > n) best.pop();
  }
  return { ids: best, probs: best.map((id) => Math.exp(row[id] - max) / sum) };
}
