// Features → padded batches of plain typed arrays. Tensors are made only inside the loss / inference call (so a
// batch that is never used leaks nothing). Dynamic padding: every batch is padded to its longest feature.
import * as tf from '@tensorflow/tfjs-core';
import { TaskInputError } from './errors';
import type { TaskInputs } from './task-model';

/** HF / torch CrossEntropyLoss `ignore_index`: positions with this label add nothing to the loss. */
export const IGNORE_INDEX = -100;

/** One model input row: ids, token types and (for token classification) one label per token. */
export interface EncodedRow {
  inputIds: number[];
  typeIds: number[];
}

/** A batch ready for the model: [B, T] (or [B, C, T] for multiple choice) int32 arrays, row-major. */
export interface TaskBatch {
  shape: number[];
  inputIds: Int32Array;
  typeIds: Int32Array;
  attentionMask: Int32Array;
  /** Class ids [B] (sequence classification, multiple choice) or per token [B, T] (token classification). */
  labels?: Int32Array;
  /** Regression / multi-label targets [B] or [B, K]. */
  targets?: Float32Array;
  /** Question answering: gold start and end token [B]. */
  startPositions?: Int32Array;
  endPositions?: Int32Array;
}

/** Pads features (each a list of rows: 1, or C choices) to the longest row: [B, T], or [B, C, T] for multiple choice. */
export function padRows(items: EncodedRow[][], padId: number, multipleChoice = false): Pick<TaskBatch, 'shape' | 'inputIds' | 'typeIds' | 'attentionMask'> {
  if (items.length === 0) throw new TaskInputError('batch', 'at least one feature', '0');
  const per = items[0].length;
  let t = 0;
  for (const rows of items) {
    if (rows.length !== per) throw new TaskInputError('batch rows', `${per} rows per feature`, `${rows.length}`);
    for (const r of rows) t = Math.max(t, r.inputIds.length);
  }
  const n = items.length * per;
  const inputIds = new Int32Array(n * t).fill(padId);
  const typeIds = new Int32Array(n * t);
  const attentionMask = new Int32Array(n * t);
  items.flat().forEach((r, i) => {
    inputIds.set(r.inputIds, i * t);
    typeIds.set(r.typeIds, i * t);
    attentionMask.fill(1, i * t, i * t + r.inputIds.length);
  });
  return { shape: multipleChoice ? [items.length, per, t] : [items.length * per, t], inputIds, typeIds, attentionMask };
}

/** A batch's labels (`field`: labels, targets, startPositions …), or a TaskInputError naming it for `kind`. */
export function batchLabels<T>(x: T | undefined, field: string, kind: string): T {
  if (x === undefined) throw new TaskInputError(`batch.${field}`, `labels for ${kind}`, 'none');
  return x;
}

/** Pads per-token label lists to the batch's T with IGNORE_INDEX. */
export function padLabels(labels: number[][], t: number): Int32Array {
  const out = new Int32Array(labels.length * t).fill(IGNORE_INDEX);
  labels.forEach((l, i) => out.set(l, i * t));
  return out;
}

/** The batch's model inputs as tensors (call inside a tidy). */
export function batchInputs(b: Pick<TaskBatch, 'shape' | 'inputIds' | 'typeIds' | 'attentionMask'>): TaskInputs {
  return {
    inputIds: tf.tensor(b.inputIds, b.shape, 'int32'),
    tokenTypeIds: tf.tensor(b.typeIds, b.shape, 'int32'),
    attentionMask: tf.tensor(b.attentionMask, b.shape, 'int32'),
  };
}

/** Real (non-padding) tokens of a batch, for throughput reporting. */
export function batchTokens(b: TaskBatch): number {
  let n = 0;
  for (let i = 0; i < b.attentionMask.length; i++) n += b.attentionMask[i];
  return n;
}
