import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { matMul } from './mat-mul.js';

/**
 * Dense layer `x · kernel + bias` (HF `nn.Linear`, google-research/bert `tf.layers.dense`).
 * The kernel is stored [in, out] — HF checkpoints hold `weight` as [out, in] and the encoder transposes once at
 * load — so the forward pass is one plain product, and the backward pass goes through {@link matMul}.
 *
 * @param x [..., in]
 * @param kernel [in, out]
 * @param bias [out] or null
 * @returns [..., out]
 */
export function linear<R extends tf.Rank>(x: tf.Tensor<R>, kernel: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor<R> {
  if (kernel.rank !== 2) {
    throw new OpShapeError('linear', `kernel must be [in, out], got [${kernel.shape}]`);
  }
  const [inDim, outDim] = kernel.shape;
  if (x.rank < 1 || x.shape[x.rank - 1] !== inDim) {
    throw new OpShapeError('linear', `x [${x.shape}] must end in in=${inDim} (kernel [${kernel.shape}])`);
  }
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== outDim)) {
    throw new OpShapeError('linear', `bias must be [${outDim}], got [${bias.shape}]`);
  }
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, inDim]); // [N, in]
    const y2 = matMul(x2, kernel); // [N, out]
    const y = bias === null ? y2 : tf.add(y2, bias); // [N, out]
    return tf.reshape<tf.Rank>(y, [...x.shape.slice(0, -1), outDim]) as tf.Tensor<R>; // [..., out]
  });
}
