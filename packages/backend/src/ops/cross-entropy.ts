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
 * MB at batch 32, past the wasm heap). Every pass over [N, C] counts (MLM: 608 × 30522 floats at batch 32 × 128),
 * so on wasm and cpu the forward pass computes softmax once and keeps it for the backward pass, and the one-hot is
 * never materialised: 4 passes over [N, C] instead of 11. On WebGPU three dispatches in all: per-row loss, mean, and
 * the gradient (kernels/webgpu/cross-entropy.ts).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex = -100): tf.Scalar {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new OpShapeError('crossEntropy', `logits [N, C] and labels [N], got [${logits.shape}] and [${labels.shape}]`);
  }
  const [n, c] = logits.shape;
  if (n === 0) return tf.scalar(0);
  if (fusedKernelsAvailable() && logits.dtype === 'float32') return crossEntropyOnGpu(logits, labels, ignoreIndex);
  // closed over (not differentiated), saved for the backward pass
  const [flatIdx, keep, count] = tf.tidy(() => {
    const ids = tf.cast(labels, 'int32'); // [N]
    const kept = tf.notEqual(ids, tf.scalar(ignoreIndex, 'int32')); // [N] bool
    const keep = tf.cast(kept, 'float32'); // [N]
    const safe = tf.where(kept, ids, tf.zerosLike(ids)); // [N]: ignored rows point at class 0 (weight 0)
    const flatIdx = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(c, 'int32')), safe); // [N]: row·C + label
    return [flatIdx, keep, tf.maximum(tf.sum(keep), 1)]; // [N], [N], []
  });
  // Computed outside the custom op (a tensor made inside it and kept for the backward pass would count as a
  // kernel leak); off the path to the loss, so the tape never differentiates it.
  const probs = tf.softmax(logits); // [N, C]
  const ce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([probs, flatIdx, keep, count]); // saved tensors outlive the caller's tidy until the backward pass
    const value = tf.tidy(() => {
      // logsumexp(x) = max(x) + log Σ exp(x - max(x)) = max(x) - log softmax(x)[argmax]: the largest probability is
      // 1 / Σ exp(x - max(x)) >= 1 / C, so its log is exact and never underflows (unlike log softmax(x)[label]).
      const lse = tf.sub(tf.max(x, 1), tf.log(tf.max(probs, 1))); // [N]
      const picked = tf.gather(tf.reshape(x, [-1]), flatIdx); // [N] = x[i, label_i]
      return tf.div(tf.sum(tf.mul(tf.sub(lse, picked), keep)), count) as tf.Scalar;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sProbs, sIdx, sKeep, sCount] = saved;
          const scale = tf.div(tf.mul(sKeep, dy), sCount); // [N]: keep · dy / count
          const scaled = tf.reshape(tf.mul(sProbs, tf.expandDims(scale, 1)), [-1]); // [N·C]: softmax · scale
          // minus scale at each row's label: the one-hot term, written in place of a dense [N, C] one-hot
          const atLabel = tf.sub(tf.gather(scaled, sIdx), scale); // [N]
          const grad = tf.tensorScatterUpdate(scaled, tf.expandDims(sIdx, 1), atLabel); // [N·C]
          return tf.reshape(grad, [n, c]); // [N, C]
        }),
    };
  });
  const out = ce(logits) as tf.Scalar;
  tf.dispose([probs, flatIdx, keep, count]);
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

/**
 * Fraction of rows whose arg-max equals the label, over rows whose label is not `ignoreIndex` (0 when none). On
 * WebGPU two dispatches (per-row hits, then their mean over the labelled rows).
 */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex = -100): tf.Scalar {
  const [n, c] = logits.shape;
  if (n === 0) return tf.scalar(0);
  return tf.tidy(() => {
    if (fusedKernelsAvailable() && logits.dtype === 'float32') {
      const ids = tf.cast(labels, 'int32'); // [N]
      const rows = new CrossEntropyRowsProgram(n, c, ignoreIndex, 'hit');
      const hits = runProgram(rows, [logits, ids], 'float32', rows.uniformData()); // [N]
      const mean = new CrossEntropyMeanProgram(n, ignoreIndex);
      return tf.reshape(runProgram(mean, [hits, ids], 'float32', mean.uniformData()), []) as tf.Scalar;
    }
    const ids = tf.cast(labels, 'int32'); // [N]
    const keep = tf.cast(tf.notEqual(ids, tf.scalar(ignoreIndex, 'int32')), 'float32'); // [N]
    const hit = tf.cast(tf.equal(tf.argMax(logits, 1), ids), 'float32'); // [N]
    return tf.div(tf.sum(tf.mul(hit, keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
  });
}
