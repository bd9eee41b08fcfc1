// Sequence (pair) classification features (google-research/bert run_classifier.py `convert_single_example`):
// `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`, B's tokens type 1, the pair truncated longest-first to `maxLength`.
import type { BertTokenizer } from '@bertkit/tokenizer';
import { padRows, type TaskBatch } from './batch';
import { MAX_SEQ_LENGTH } from './defaults';

export interface SequenceFeature {
  inputIds: number[];
  typeIds: number[];
  /** Class id; -1 when unlabelled (test split). */
  label: number;
  /** Regression target (STS-B), else undefined. */
  target?: number;
}

/** One example → one feature (paper §4.1: max length 128 for GLUE). */
export function encodeSequence(tokenizer: BertTokenizer, textA: string, textB: string | undefined, label: number, maxLength = MAX_SEQ_LENGTH, target?: number): SequenceFeature {
  const enc = tokenizer.encode(textA, textB ?? null, { maxLength, truncation: 'longest_first' });
  return { inputIds: enc.ids, typeIds: enc.typeIds, label, target };
}

/** Pads a batch; labels (or regression targets) go along. */
export function collateSequences(features: SequenceFeature[], padId: number, regression = false): TaskBatch {
  const b = padRows(features.map((f) => [f]), padId);
  if (regression) return { ...b, targets: Float32Array.from(features, (f) => f.target ?? 0) };
  return { ...b, labels: Int32Array.from(features, (f) => f.label) };
}

/** Arg-max class of each logits row. */
export function argmaxRows(rows: { data: Float32Array }[]): number[] {
  return rows.map((r) => {
    let best = 0;
    for (let i = 1; i < r.data.length; i++) if (r.data[i] > r.data[best]) best = i;
    return best;
  });
}
