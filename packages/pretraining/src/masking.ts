// Masked-LM target selection, following google-research/bert `create_masked_lm_predictions` (paper §3.1 "Task #1:
// Masked LM", appendix A.1): the candidates are every position except special tokens (the original skips [CLS]
// and [SEP]; here [MASK] and [PAD] too, which never occur in its input), grouped into whole words when
// `wholeWordMask` (a piece followed by its `##` pieces); the groups are shuffled and taken until
// `num_to_predict = min(maxPredictionsPerSeq, max(1, round(len(tokens) * maskedLmProb)))` positions are covered
// (len(tokens) counts [CLS]/[SEP] as in the original; a whole word that would overshoot is skipped). Each chosen
// position becomes [MASK] / a uniformly random vocabulary id (any id, as the original's `vocab_words`) / itself
// with probabilities mask / random / keep (0.8 / 0.1 / 0.1).
import type { Rng } from '@bertkit/backend';
import type { MaskingOptions } from './data-config.js';
import type { VocabInfo } from './instances-vocab.js';

export interface MaskedLm {
  /** The input after replacement, [n]. */
  inputIds: Int32Array;
  /** Chosen positions in increasing order, [p]. */
  positions: Int32Array;
  /** The original ids at those positions (the targets), [p]. */
  labels: Int32Array;
}

/** Python 3 `round` (half to even), which sets the original's prediction count. */
export function pythonRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Chooses and replaces the masked-LM targets of one instance (`tokens` is not modified). */
export function createMaskedLmPredictions(tokens: Int32Array, opts: MaskingOptions, vocab: VocabInfo, rng: Rng): MaskedLm {
  const groups: number[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i];
    if (vocab.isSpecial[id]) continue;
    const last = groups[groups.length - 1];
    // A ## piece joins the previous group only if it directly follows it (never across a special token).
    if (opts.wholeWordMask && last && vocab.isContinuation[id] && last[last.length - 1] === i - 1) last.push(i);
    else groups.push([i]);
  }
  rng.shuffle(groups);
  const numToPredict = Math.min(opts.maxPredictionsPerSeq, Math.max(1, pythonRound(tokens.length * opts.maskedLmProb)));
  const inputIds = Int32Array.from(tokens);
  const chosen: number[] = [];
  for (const group of groups) {
    if (chosen.length >= numToPredict) break;
    if (chosen.length + group.length > numToPredict) continue;
    for (const i of group) {
      const u = rng.random();
      if (u < opts.mask) inputIds[i] = vocab.mask;
      else if (u < opts.mask + opts.random) inputIds[i] = rng.int(vocab.size);
      chosen.push(i);
    }
  }
  chosen.sort((a, b) => a - b);
  const positions = Int32Array.from(chosen);
  const labels = Int32Array.from(chosen, (i) => tokens[i]);
  return { inputIds, positions, labels };
}
