// Adapters between the data side's `PretrainingBatch` (data-batch.ts: row-major [B, T] inputs, [B, P] padded
// predictions with weights) and what the model consumes: flat positions b·T + t of the real predictions, so it
// gathers exactly those rows of the encoder output before the vocabulary-sized decoder.
import { IGNORE_INDEX, type PretrainingBatch } from './data-batch.js';
import { PretrainingModelError } from './objectives.js';

/** The real (weight > 0) predictions of a batch as flat positions b·T + t and their target ids, [N] each. */
export function flatPredictions(b: PretrainingBatch): { positions: Int32Array; labels: Int32Array } {
  const p = b.maxPredictions;
  const positions: number[] = [];
  const labels: number[] = [];
  for (let row = 0; row < b.batchSize; row++) {
    for (let k = 0; k < p; k++) {
      if (b.maskedWeights[row * p + k] > 0) {
        positions.push(row * b.seqLength + b.maskedPositions[row * p + k]);
        labels.push(b.maskedIds[row * p + k]);
      }
    }
  }
  return { positions: Int32Array.from(positions), labels: Int32Array.from(labels) };
}

/** HF-style inputs (`mlm_labels` [B][T] with -100 = ignored, as BertForPreTraining takes them) → a batch. */
export function fromHfInputs(x: {
  input_ids: number[][];
  token_type_ids?: number[][];
  attention_mask?: number[][];
  mlm_labels?: number[][];
  next_sentence_label?: number[];
}): PretrainingBatch {
  const b = x.input_ids.length;
  const t = b > 0 ? x.input_ids[0].length : 0;
  const flat = (m: number[][] | undefined, fill: number, field: string) => {
    const out = new Int32Array(b * t).fill(fill);
    m?.forEach((row, i) => {
      if (row.length !== t) throw new PretrainingModelError(`fromHfInputs ${field}[${i}]: expected ${t} columns, got ${row.length}`);
      out.set(row, i * t);
    });
    return out;
  };
  const mlmLabels = flat(x.mlm_labels, IGNORE_INDEX, 'mlm_labels');
  const perRow = Array.from({ length: b }, (_, i) => {
    const pos: number[] = [];
    for (let j = 0; j < t; j++) if (mlmLabels[i * t + j] !== IGNORE_INDEX) pos.push(j);
    return pos;
  });
  const p = Math.max(0, ...perRow.map((r) => r.length));
  const maskedPositions = new Int32Array(b * p);
  const maskedIds = new Int32Array(b * p);
  const maskedWeights = new Float32Array(b * p);
  perRow.forEach((pos, i) =>
    pos.forEach((j, k) => {
      maskedPositions[i * p + k] = j;
      maskedIds[i * p + k] = mlmLabels[i * t + j];
      maskedWeights[i * p + k] = 1;
    }),
  );
  return {
    batchSize: b,
    seqLength: t,
    maxPredictions: p,
    inputIds: flat(x.input_ids, 0, 'input_ids'),
    tokenTypeIds: flat(x.token_type_ids, 0, 'token_type_ids'),
    attentionMask: flat(x.attention_mask, 1, 'attention_mask'),
    maskedPositions,
    maskedIds,
    maskedWeights,
    mlmLabels,
    nspLabels: x.next_sentence_label ? Int32Array.from(x.next_sentence_label) : new Int32Array(b).fill(IGNORE_INDEX),
  };
}

/** Real (non-padding) tokens of a batch, for the training loop's tokens/s (`tokensInBatch`). */
export function batchTokens(b: PretrainingBatch): number {
  let n = 0;
  for (const m of b.attentionMask) n += m;
  return n;
}
