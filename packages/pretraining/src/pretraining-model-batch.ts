// A padded batch of pre-training examples as flat typed arrays (no tensors: cheap to build in a data worker,
// and the model turns it into tensors inside its own tidy). Predicted positions are flat indices b·T + t, so the
// model gathers exactly those rows of the encoder output before the vocabulary-sized decoder.
import { PretrainingModelError } from './objectives.js';

export interface PretrainingBatch {
  batchSize: number;
  seqLength: number;
  inputIds: Int32Array; // [B·T]
  tokenTypeIds: Int32Array; // [B·T]
  attentionMask: Int32Array; // [B·T] 1 = token, 0 = padding
  /** Flat positions b·T + t to predict, [N]. */
  maskedPositions: Int32Array;
  /** Target ids at those positions, [N]. */
  maskedLabels: Int32Array;
  /** NSP labels, [B]: 0 IsNext, 1 NotNext, -1 none (ignored). */
  nspLabels: Int32Array;
}

/** The fields of a pre-training instance the batch needs (the data side's `TrainingInstance` has them). */
export interface InstanceLike {
  inputIds: ArrayLike<number>;
  /** First position of segment B (token type 1 from here to the end of the tokens). */
  segmentBStart: number;
  nspLabel: number;
  maskedPositions: ArrayLike<number>;
  maskedLabels: ArrayLike<number>;
}

/** Pads instances to `seqLength` (default: the longest) with `padId` and flattens them into a batch. */
export function collate(instances: readonly InstanceLike[], seqLength?: number, padId = 0): PretrainingBatch {
  if (instances.length === 0) throw new PretrainingModelError('collate instances: expected at least 1, got 0');
  const t = seqLength ?? Math.max(...instances.map((x) => x.inputIds.length));
  const b = instances.length;
  const inputIds = new Int32Array(b * t).fill(padId);
  const tokenTypeIds = new Int32Array(b * t);
  const attentionMask = new Int32Array(b * t);
  const positions: number[] = [];
  const labels: number[] = [];
  const nspLabels = new Int32Array(b);
  instances.forEach((x, i) => {
    const n = x.inputIds.length;
    if (n > t) throw new PretrainingModelError(`collate instance ${i}: expected at most ${t} tokens, got ${n}`);
    if (x.maskedPositions.length !== x.maskedLabels.length) {
      throw new PretrainingModelError(
        `collate instance ${i}: maskedLabels expected ${x.maskedPositions.length} entries, got ${x.maskedLabels.length}`,
      );
    }
    for (let j = 0; j < n; j++) {
      inputIds[i * t + j] = x.inputIds[j];
      tokenTypeIds[i * t + j] = j >= x.segmentBStart ? 1 : 0;
      attentionMask[i * t + j] = 1;
    }
    for (let j = 0; j < x.maskedPositions.length; j++) {
      const p = x.maskedPositions[j];
      if (!(p >= 0 && p < n)) throw new PretrainingModelError(`collate instance ${i}: masked position expected in [0, ${n}), got ${p}`);
      positions.push(i * t + p);
      labels.push(x.maskedLabels[j]);
    }
    nspLabels[i] = x.nspLabel;
  });
  return {
    batchSize: b,
    seqLength: t,
    inputIds,
    tokenTypeIds,
    attentionMask,
    maskedPositions: Int32Array.from(positions),
    maskedLabels: Int32Array.from(labels),
    nspLabels,
  };
}

/** HF-style inputs (`labels` [B][T] with -100 = ignored, as BertForPreTraining takes them) → a batch. */
export function fromHfInputs(x: {
  input_ids: number[][];
  token_type_ids?: number[][];
  attention_mask?: number[][];
  mlm_labels?: number[][];
  next_sentence_label?: number[];
}): PretrainingBatch {
  const b = x.input_ids.length;
  const t = b > 0 ? x.input_ids[0].length : 0;
  const flat = (m: number[][] | undefined, fill: number) => {
    const out = new Int32Array(b * t).fill(fill);
    m?.forEach((row, i) => {
      if (row.length !== t) throw new PretrainingModelError(`fromHfInputs row ${i}: expected ${t} columns, got ${row.length}`);
      out.set(row, i * t);
    });
    return out;
  };
  const positions: number[] = [];
  const labels: number[] = [];
  x.mlm_labels?.forEach((row, i) =>
    row.forEach((l, j) => {
      if (l !== -100) {
        positions.push(i * t + j);
        labels.push(l);
      }
    }),
  );
  return {
    batchSize: b,
    seqLength: t,
    inputIds: flat(x.input_ids, 0),
    tokenTypeIds: flat(x.token_type_ids, 0),
    attentionMask: flat(x.attention_mask, 1),
    maskedPositions: Int32Array.from(positions),
    maskedLabels: Int32Array.from(labels),
    nspLabels: x.next_sentence_label ? Int32Array.from(x.next_sentence_label) : new Int32Array(b).fill(-1),
  };
}
