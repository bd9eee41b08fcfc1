// Batching: instances → the fixed-shape typed arrays a training step feeds to tfjs (row-major [B, T] / [B, P]).
// Both label layouts are produced: google-research/bert's sparse one (masked_lm_positions / ids / weights,
// padded to maxPredictionsPerSeq with weight 0) and HF's dense one (`labels` [B, T], -100 = not predicted).
import type { TrainingInstance } from './instances.js';

/** HF's ignore index for cross-entropy labels. */
export const IGNORE_INDEX = -100;

export interface PretrainingBatch {
  batchSize: number;
  seqLength: number;
  maxPredictions: number;
  /** [B, T], padded with the pad id. */
  inputIds: Int32Array;
  /** [B, T]: 0 for [CLS] A [SEP] (and padding), 1 for B [SEP]. */
  tokenTypeIds: Int32Array;
  /** [B, T]: 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  /** [B, P]: predicted positions, 0-padded. */
  maskedPositions: Int32Array;
  /** [B, P]: their target ids, 0-padded. */
  maskedIds: Int32Array;
  /** [B, P]: 1 for a real prediction, 0 for padding. */
  maskedWeights: Float32Array;
  /** [B, T]: dense targets, IGNORE_INDEX where nothing is predicted. */
  mlmLabels: Int32Array;
  /** [B]: 0 IsNext, 1 NotNext, IGNORE_INDEX when the instance has no NSP label (LTR). */
  nspLabels: Int32Array;
}

export class BatchError extends Error {
  override name = 'BatchError';
}

/** Stacks instances into one batch of `seqLength` tokens and `maxPredictions` predictions per row. */
export function collateInstances(instances: readonly TrainingInstance[], seqLength: number, maxPredictions: number, padId = 0): PretrainingBatch {
  const B = instances.length;
  const T = seqLength;
  const P = maxPredictions;
  const inputIds = new Int32Array(B * T).fill(padId);
  const tokenTypeIds = new Int32Array(B * T);
  const attentionMask = new Int32Array(B * T);
  const maskedPositions = new Int32Array(B * P);
  const maskedIds = new Int32Array(B * P);
  const maskedWeights = new Float32Array(B * P);
  const mlmLabels = new Int32Array(B * T).fill(IGNORE_INDEX);
  const nspLabels = new Int32Array(B);
  instances.forEach((x, b) => {
    const n = x.inputIds.length;
    const p = x.maskedPositions.length;
    if (n > T) throw new BatchError(`instance ${b} length: expected <= seqLength=${T}, got ${n}`);
    if (p > P) throw new BatchError(`instance ${b} predictions: expected <= maxPredictions=${P}, got ${p}`);
    inputIds.set(x.inputIds, b * T);
    tokenTypeIds.fill(1, b * T + x.segmentBStart, b * T + n);
    attentionMask.fill(1, b * T, b * T + n);
    maskedPositions.set(x.maskedPositions, b * P);
    maskedIds.set(x.maskedLabels, b * P);
    maskedWeights.fill(1, b * P, b * P + p);
    for (let k = 0; k < p; k++) mlmLabels[b * T + x.maskedPositions[k]] = x.maskedLabels[k];
    nspLabels[b] = x.nspLabel < 0 ? IGNORE_INDEX : x.nspLabel;
  });
  return { batchSize: B, seqLength: T, maxPredictions: P, inputIds, tokenTypeIds, attentionMask, maskedPositions, maskedIds, maskedWeights, mlmLabels, nspLabels };
}

/** Position in an in-memory instance list (same meaning as a shard position with a single shard). */
export interface MemoryPosition {
  epoch: number;
  record: number;
}

/**
 * Batches of an in-memory instance list, endlessly (epoch after epoch, same order), from `start`; each batch comes
 * with the position of the next one, so a run can be resumed exactly.
 */
export function* iterateBatches(
  instances: readonly TrainingInstance[],
  batchSize: number,
  seqLength: number,
  maxPredictions: number,
  start: MemoryPosition = { epoch: 0, record: 0 },
  padId = 0,
): Generator<{ batch: PretrainingBatch; position: MemoryPosition }> {
  if (instances.length === 0) throw new BatchError('instances: expected at least one instance, got 0');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new BatchError(`batchSize: expected a positive integer, got ${batchSize}`);
  const pos = { ...start };
  for (;;) {
    const rows: TrainingInstance[] = [];
    while (rows.length < batchSize) {
      if (pos.record >= instances.length) {
        pos.record = 0;
        pos.epoch++;
      }
      rows.push(instances[pos.record++]);
    }
    yield { batch: collateInstances(rows, seqLength, maxPredictions, padId), position: { ...pos } };
  }
}
