import * as tf from '@tensorflow/tfjs-core';
import { maxPackedElements, packGroups, packTensors } from '../kernels/webgpu/buffer-copy.js';
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
