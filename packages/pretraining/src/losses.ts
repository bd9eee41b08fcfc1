// Cross-entropy losses and accuracies of pre-training, HF `BertForPreTraining`'s convention: the MLM loss is the
// mean cross-entropy over the batch's labelled positions (torch CrossEntropyLoss, ignore_index -100, reduction
// mean), the NSP loss the mean over the batch, total = MLM + NSP. (google-research/bert weights each prediction
// by `masked_lm_weights` and divides by their sum + 1e-5 — the same mean up to that epsilon.)
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean cross-entropy of `logits` [N, C] against integer `labels` [N] (log-softmax, then the negative
 * log-likelihood of the label). N = 0 gives 0 (torch gives NaN; an all-ignored batch should not poison training).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [n, c] = logits.shape;
  if (n === 0) return tf.scalar(0);
  const logp = tf.logSoftmax(logits); // [N, C]
  const onehot = tf.oneHot(tf.cast(labels, 'int32'), c); // [N, C]
  const nll = tf.neg(tf.sum(tf.mul(logp, onehot), 1)); // [N]
  return tf.mean(nll) as tf.Scalar;
}

/** Fraction of rows whose arg-max equals the label (0 for N = 0). */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  if (logits.shape[0] === 0) return tf.scalar(0);
  const pred = tf.argMax(logits, 1); // [N] int32
  return tf.mean(tf.cast(tf.equal(pred, tf.cast(labels, 'int32')), 'float32')) as tf.Scalar;
}
