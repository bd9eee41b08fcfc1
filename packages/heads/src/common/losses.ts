// The losses of HF's BertFor* heads (modeling_bert.py), over logits from BertTaskModel.forward. Cross-entropy is
// @bertkit/backend's (torch ignore_index -100 semantics), the same op pre-training uses.
import { crossEntropy } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { batchLabels, type TaskBatch } from './batch';
import { problemTypeOf, type BertTaskModel } from './task-model';

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

/** The loss HF's head class computes for `logits` = model.forward(batch) and the batch's labels. */
export function taskLoss(model: BertTaskModel, logits: tf.Tensor, batch: TaskBatch): tf.Scalar {
  return tf.tidy(() => {
    switch (model.kind) {
      case 'sequence-classification': {
        const problem = problemTypeOf(model.config);
        if (problem === 'regression') {
          const y = tf.tensor(batchLabels(batch.targets, 'targets', 'regression'), [batch.shape[0]], 'float32');
          return meanSquaredError(tf.reshape(logits, [-1]), y); // num_labels 1: squeeze as HF
        }
        if (problem === 'multi_label_classification') {
          const y = tf.tensor(batchLabels(batch.targets, 'targets', 'multi-label'), logits.shape, 'float32');
          return binaryCrossEntropyWithLogits(logits, y);
        }
        return crossEntropy(logits as tf.Tensor2D, tf.tensor1d(batchLabels(batch.labels, 'labels', model.kind), 'int32'));
      }
      case 'multiple-choice':
        return crossEntropy(logits as tf.Tensor2D, tf.tensor1d(batchLabels(batch.labels, 'labels', model.kind), 'int32'));
      case 'token-classification': {
        const k = logits.shape[2] as number;
        const flat = tf.reshape(logits, [-1, k]) as tf.Tensor2D; // [B·T, K]
        return crossEntropy(flat, tf.tensor1d(batchLabels(batch.labels, 'labels', model.kind), 'int32'));
      }
      case 'question-answering': {
        // HF: positions outside the sequence are clamped to T and ignored; loss = (start CE + end CE) / 2.
        const t = logits.shape[1] as number;
        const [start, end] = tf.unstack(logits, 2) as [tf.Tensor2D, tf.Tensor2D]; // 2 × [B, T]
        const clamp = (p: Int32Array) => tf.tensor1d(Int32Array.from(p, (x) => (x < 0 || x >= t ? -100 : x)), 'int32');
        const ls = crossEntropy(start, clamp(batchLabels(batch.startPositions, 'startPositions', model.kind)));
        const le = crossEntropy(end, clamp(batchLabels(batch.endPositions, 'endPositions', model.kind)));
        return tf.div(tf.add(ls, le), 2) as tf.Scalar;
      }
    }
  });
}
