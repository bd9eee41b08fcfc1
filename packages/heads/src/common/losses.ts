// The losses of HF's BertFor* heads (modeling_bert.py), over logits from BertTaskModel.forward.
import * as tf from '@tensorflow/tfjs-core';
import { type TaskBatch } from './batch';
import { TaskInputError } from './errors';
import { problemTypeOf, type BertTaskModel } from './task-model';

/**
 * torch CrossEntropyLoss(ignore_index=-100, reduction='mean'): mean over the rows whose label is not ignored.
 * logits [N, K], labels int32 [N]. No labelled row gives 0 (torch: NaN), so an all-ignored batch cannot poison
 * training.
 */
export function crossEntropyIgnore(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex = -100): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const keep = tf.cast(tf.notEqual(labels, ignoreIndex), 'float32'); // [N]
    const safe = tf.where(tf.notEqual(labels, ignoreIndex), labels, tf.zerosLike(labels)); // [N]
    const logp = tf.logSoftmax(logits); // [N, K]
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.cast(safe, 'int32'), k)), 1)); // [N]
    return tf.div(tf.sum(tf.mul(nll, keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
  });
}

/** torch MSELoss (mean). */
export function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(pred, target))) as tf.Scalar;
}

/** torch BCEWithLogitsLoss (mean), in the numerically stable form max(x,0) - x·y + log(1 + e^-|x|). */
export function binaryCrossEntropyWithLogits(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const t = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(t) as tf.Scalar;
  });
}

function need<T>(x: T | undefined, field: string, kind: string): T {
  if (x === undefined) throw new TaskInputError(`batch.${field}`, `labels for ${kind}`, 'none');
  return x;
}

/** The loss HF's head class computes for `logits` = model.forward(batch) and the batch's labels. */
export function taskLoss(model: BertTaskModel, logits: tf.Tensor, batch: TaskBatch): tf.Scalar {
  return tf.tidy(() => {
    switch (model.kind) {
      case 'sequence-classification': {
        const problem = problemTypeOf(model.config);
        if (problem === 'regression') {
          const y = tf.tensor(need(batch.targets, 'targets', 'regression'), [batch.shape[0]], 'float32');
          return meanSquaredError(tf.reshape(logits, [-1]), y); // num_labels 1: squeeze as HF
        }
        if (problem === 'multi_label_classification') {
          const y = tf.tensor(need(batch.targets, 'targets', 'multi-label'), logits.shape, 'float32');
          return binaryCrossEntropyWithLogits(logits, y);
        }
        return crossEntropyIgnore(logits as tf.Tensor2D, tf.tensor1d(need(batch.labels, 'labels', model.kind), 'int32'));
      }
      case 'multiple-choice':
        return crossEntropyIgnore(logits as tf.Tensor2D, tf.tensor1d(need(batch.labels, 'labels', model.kind), 'int32'));
      case 'token-classification': {
        const k = logits.shape[2] as number;
        const flat = tf.reshape(logits, [-1, k]) as tf.Tensor2D; // [B·T, K]
        return crossEntropyIgnore(flat, tf.tensor1d(need(batch.labels, 'labels', model.kind), 'int32'));
      }
      case 'question-answering': {
        // HF: positions outside the sequence are clamped to T and ignored; loss = (start CE + end CE) / 2.
        const t = logits.shape[1] as number;
        const [start, end] = tf.unstack(logits, 2) as [tf.Tensor2D, tf.Tensor2D]; // 2 × [B, T]
        const clamp = (p: Int32Array) => tf.tensor1d(Int32Array.from(p, (x) => (x < 0 || x >= t ? -100 : x)), 'int32');
        const ls = crossEntropyIgnore(start, clamp(need(batch.startPositions, 'startPositions', model.kind)));
        const le = crossEntropyIgnore(end, clamp(need(batch.endPositions, 'endPositions', model.kind)));
        return tf.div(tf.add(ls, le), 2) as tf.Scalar;
      }
    }
  });
}
