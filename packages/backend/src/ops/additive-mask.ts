import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { AdditiveMaskProgram } from '../kernels/webgpu/additive-mask.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';

const FLOAT32_MIN = -3.4028234663852886e38;

/**
 * HF's `get_extended_attention_mask` for a padding mask: `(1 - mask) · finfo(float32).min`, broadcast over heads
 * and queries — 0 for visible keys, float32's min for padding, added to the attention scores. On WebGPU one
 * dispatch; elsewhere tfjs ops. Not differentiable (a mask).
 *
 * @param mask [B, T], 1 for real tokens and 0 for padding (int32 or float32)
 * @returns [B, 1, 1, T] float32
 */
export function additiveMask(mask: tf.Tensor2D): tf.Tensor4D {
  if (mask.rank !== 2) throw new OpShapeError('additiveMask', `mask must be [B, T], got [${mask.shape}]`);
  const [b, t] = mask.shape;
  if (fusedKernelsAvailable() && (mask.dtype === 'int32' || mask.dtype === 'float32')) {
    const program = new AdditiveMaskProgram(b, t, mask.dtype);
    return runProgram(program, [mask], 'float32', program.uniformData()) as tf.Tensor4D;
  }
  return tf.tidy(() => tf.mul(tf.sub(1, tf.reshape(tf.cast(mask, 'float32'), [b, 1, 1, t])), FLOAT32_MIN) as tf.Tensor4D);
}
