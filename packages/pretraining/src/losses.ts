// Cross-entropy losses and accuracies of pre-training, HF `BertForPreTraining`'s convention: the MLM loss is the
// mean cross-entropy over the batch's labelled positions (torch CrossEntropyLoss, ignore_index -100, reduction
// mean), the NSP loss the mean over the batch, total = MLM + NSP. (google-research/bert weights each prediction
// by `masked_lm_weights` and divides by their sum + 1e-5 — the same mean up to that epsilon.)
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean cross-entropy of `logits` [N, C] against integer `labels` [N]: mean(logsumexp(x) - x[label]), with the
 * fused gradient (softmax(x) - onehot(label)) / N. Written as one custom-gradient op because the MLM logits are
 * [N, vocab]: tfjs would otherwise keep every [N, V] intermediate of log-softmax for the backward pass (hundreds
 * of MB at batch 32, past the wasm heap). N = 0 gives 0 (torch gives NaN; an all-ignored batch should not poison
 * training).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [n, c] = logits.shape;
  if (n === 0) return tf.scalar(0);
  const labelIds = tf.cast(labels, 'int32'); // [N]; closed over (not differentiated), saved for the backward pass
  const ce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([x, labelIds]); // saved tensors outlive the caller's tidy until the backward pass
    const value = tf.tidy(() => {
      const lse = tf.logSumExp(x, 1); // [N]
      const flatIdx = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(c, 'int32')), labelIds); // [N]: row·C + label
      const picked = tf.gather(tf.reshape(x, [-1]), flatIdx); // [N] = x[i, label_i]
      return tf.mean(tf.sub(lse, picked)) as tf.Scalar;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          // int32 one-hot then cast: tfjs-backend-wasm 4.22's OneHot with dtype float32 writes integer bit patterns
          const onehot = tf.cast(tf.oneHot(saved[1], c), 'float32'); // [N, C]
          return tf.mul(tf.sub(tf.softmax(saved[0]), onehot), tf.div(dy, n)); // [N, C]
        }),
    };
  });
  return ce(logits) as tf.Scalar;
}

/** Fraction of rows whose arg-max equals the label (0 for N = 0). */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  if (logits.shape[0] === 0) return tf.scalar(0);
  const pred = tf.argMax(logits, 1); // [N] int32
  return tf.mean(tf.cast(tf.equal(pred, tf.cast(labels, 'int32')), 'float32')) as tf.Scalar;
}
