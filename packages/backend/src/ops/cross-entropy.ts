// Softmax cross-entropy over integer labels: the one implementation behind every loss of bertkit (pre-training's
// MLM and NSP, the fine-tuning heads). torch CrossEntropyLoss(ignore_index=-100, reduction='mean') semantics: the
// mean over rows whose label is not `ignoreIndex`; no labelled row gives 0 (torch: NaN), so an all-ignored batch
// cannot poison training.
import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { CrossEntropyMeanProgram, CrossEntropyRowsProgram } from '../kernels/webgpu/cross-entropy.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';

/**
 * Mean cross-entropy of `logits` [N, C] against `labels` [N]: mean(logsumexp(x) - x[label]) over kept rows, with the
 * fused gradient (softmax(x) - onehot(label)) · keep / count. One custom-gradient op because MLM logits are
 * [N, vocab]: tfjs would otherwise keep every [N, V] intermediate of log-softmax for the backward pass (hundreds of
 * MB at batch 32, past the wasm heap). On WebGPU three dispatches in all: per-row loss, mean, and the gradient
 * (kernels/webgpu/cross-entropy.ts).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex = -100): tf.Scalar {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new OpShapeError('crossEntropy', `logits [N, C] and labels [N], got [${logits.shape}] and [${labels.shape}]`);
  }
  const [n, c] = logits.shape;
  if (n === 0) return tf.scalar(0);
  if (fusedKernelsAvailable() && logits.dtype === 'float32') return crossEntropyOnGpu(logits, labels, ignoreIndex);
  // closed over (not differentiated), saved for the backward pass
  const [safe, keep, count] = tf.tidy(() => {
    const ids = tf.cast(labels, 'int32'); // [N]
    const kept = tf.notEqual(ids, tf.scalar(ignoreIndex, 'int32')); // [N] bool
    const keep = tf.cast(kept, 'float32'); // [N]
    return [tf.where(kept, ids, tf.zerosLike(ids)), keep, tf.maximum(tf.sum(keep), 1)]; // [N], [N], []
  });
  const ce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([x, safe, keep, count]); // saved tensors outlive the caller's tidy until the backward pass
    const value = tf.tidy(() => {
      const lse = tf.logSumExp(x, 1); // [N]
      const flatIdx = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(c, 'int32')), safe); // [N]: row·C + label
      const picked = tf.gather(tf.reshape(x, [-1]), flatIdx); // [N] = x[i, label_i]
      return tf.div(tf.sum(tf.mul(tf.sub(lse, picked), keep)), count) as tf.Scalar;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sLabels, sKeep, sCount] = saved;
          // int32 one-hot then cast: tfjs-backend-wasm 4.22's OneHot with dtype float32 writes integer bit patterns
          const onehot = tf.cast(tf.oneHot(sLabels as tf.Tensor1D, c), 'float32'); // [N, C]
          const scale = tf.div(tf.mul(tf.expandDims(sKeep, 1), dy), sCount); // [N, 1]
          return tf.mul(tf.sub(tf.softmax(sx), onehot), scale); // [N, C]
        }),
    };
  });
  const out = ce(logits) as tf.Scalar;
  tf.dispose([safe, keep, count]);
  return out;
}

/** The WebGPU kernels: loss [] with the gradient (softmax - onehot) · dy / count of the labelled rows. */
function crossEntropyOnGpu(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex: number): tf.Scalar {
  const [n, c] = logits.shape;
  const ids = tf.cast(labels, 'int32'); // [N] (no dispatch when already int32)
  const ce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([x, ids]); // the labels too: the backward pass runs after the caller's tidy freed them
    const value = tf.tidy(() => {
      const rows = new CrossEntropyRowsProgram(n, c, ignoreIndex, 'loss');
      const rowLoss = runProgram(rows, [x, ids], 'float32', rows.uniformData()); // [N]
      const mean = new CrossEntropyMeanProgram(n, ignoreIndex);
      return tf.reshape(runProgram(mean, [rowLoss, ids], 'float32', mean.uniformData()), []) as tf.Scalar;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const grad = new CrossEntropyRowsProgram(n, c, ignoreIndex, 'grad');
          return runProgram(grad, [saved[0], saved[1], tf.reshape(dy, [1])], 'float32', grad.uniformData()); // [N, C]
        }),
    };
  });
  const out = ce(logits) as tf.Scalar;
  ids.dispose();
  return out;
}

/** Fraction of rows whose arg-max equals the label, over rows whose label is not `ignoreIndex` (0 when none). */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex = -100): tf.Scalar {
  if (logits.shape[0] === 0) return tf.scalar(0);
  return tf.tidy(() => {
    const ids = tf.cast(labels, 'int32'); // [N]
    const keep = tf.cast(tf.notEqual(ids, tf.scalar(ignoreIndex, 'int32')), 'float32'); // [N]
    const hit = tf.cast(tf.equal(tf.argMax(logits, 1), ids), 'float32'); // [N]
    return tf.div(tf.sum(tf.mul(hit, keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
  });
}
