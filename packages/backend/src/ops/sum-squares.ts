import * as tf from '@tensorflow/tfjs-core';
import { maxPackedElements, packGroups, packTensors, unpackTensors } from '../kernels/webgpu/buffer-copy.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { SUM_SQUARES_PARTIALS, SumSquaresProgram } from '../kernels/webgpu/sum-squares.js';

/**
 * Σ x² over every element of every tensor, as a scalar on the backend (the square of the global L2 norm). On
 * WebGPU two dispatches over the tensors packed by buffer copies ({@link SumSquaresProgram}; two per group when
 * they exceed one storage binding, tfjs ops for a single tensor that does); elsewhere
 * per-tensor tfjs ops. Float32 sums in a different order than torch's norm-of-norms: equal within ~1e-6 relative.
 */
export function sumOfSquares(tensors: readonly tf.Tensor[]): tf.Scalar {
  if (tensors.length === 0) return tf.scalar(0);
  return tf.tidy(() => {
    if (!fusedKernelsAvailable() || tensors.some((t) => t.dtype !== 'float32')) {
      return tf.addN(tensors.map((t) => tf.sum(tf.square(t)))) as tf.Scalar;
    }
    const max = maxPackedElements(1);
    const sums = packGroups(tensors.map((t) => t.size), max).map((group) => {
      if (group.length === 1 && tensors[group[0]].size > max) return tf.sum(tf.square(tensors[group[0]]));
      const packed = packTensors(group.map((i) => tensors[i])); // [N]
      const first = new SumSquaresProgram(packed.size, SUM_SQUARES_PARTIALS, true);
      const partials = runProgram(first, [packed], 'float32', first.uniformData()); // [groups]
      const second = new SumSquaresProgram(SUM_SQUARES_PARTIALS, 1, false);
      return tf.reshape(runProgram(second, [partials], 'float32', second.uniformData()), []); // []
    });
    return (sums.length === 1 ? sums[0] : tf.addN(sums)) as tf.Scalar;
  });
}

/**
 * The global L2 norm of the tensors and torch's `clip_grad_norm_` coefficient min(1, maxNorm / (norm + 1e-6)), as
 * scalars on the backend (the caller disposes them). On WebGPU two dispatches when the tensors fit one storage
 * binding (the second pass ends with the norm and the coefficient); elsewhere {@link sumOfSquares} and tfjs ops.
 */
export function globalNormAndClip(tensors: readonly tf.Tensor[], maxNorm: number): { norm: tf.Scalar; coef: tf.Scalar } {
  return tf.tidy(() => {
    const total = tensors.reduce((n, t) => n + t.size, 0);
    if (fusedKernelsAvailable() && total > 0 && total <= maxPackedElements(1) && tensors.every((t) => t.dtype === 'float32')) {
      const packed = packTensors(tensors); // [N]
      const first = new SumSquaresProgram(packed.size, SUM_SQUARES_PARTIALS, true);
      const partials = runProgram(first, [packed], 'float32', first.uniformData()); // [groups]
      const second = new SumSquaresProgram(SUM_SQUARES_PARTIALS, 1, false, maxNorm);
      const both = runProgram(second, [partials], 'float32', second.uniformData()); // [2]
      const [norm, coef] = unpackTensors(both, [{ offset: 0, shape: [] }, { offset: 1, shape: [] }]);
      return { norm: norm as tf.Scalar, coef: coef as tf.Scalar };
    }
    const norm = tf.sqrt(sumOfSquares(tensors)) as tf.Scalar;
    return { norm, coef: tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))) as tf.Scalar };
  });
}
