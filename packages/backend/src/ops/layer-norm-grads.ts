import * as tf from '@tensorflow/tfjs-core';
import { unpackTensors } from '../kernels/webgpu/buffer-copy.js';
import { LayerNormBackwardParamsProgram, LayerNormBackwardRowsProgram } from '../kernels/webgpu/layer-norm-backward.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { layerNormBackward } from './layer-norm.js';

/**
 * {@link layerNormBackward}'s gradients (dv, dgamma, dbeta of LayerNorm(v) given dy): on WebGPU two dispatches
 * (rows, then columns; the results split out of the kernels' outputs by buffer copies), elsewhere tfjs ops.
 *
 * @param v [M, H]; gamma [H]; dy [M, H]
 * @returns [dv [M, H], dgamma [H], dbeta [H]]
 */
export function layerNormGrads(v: tf.Tensor2D, gamma: tf.Tensor1D, dy: tf.Tensor2D, eps: number): [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D] {
  if (!fusedKernelsAvailable() || v.dtype !== 'float32' || dy.dtype !== 'float32') return layerNormBackward(v, gamma, dy, eps);
  return tf.tidy(() => {
    const [m, h] = v.shape;
    const rowsProgram = new LayerNormBackwardRowsProgram(m, h, eps);
    const rows = runProgram(rowsProgram, [v, gamma, dy], 'float32', rowsProgram.uniformData()); // [M·H + 2·M]
    const paramsProgram = new LayerNormBackwardParamsProgram(m, h);
    const params = runProgram(paramsProgram, [v, dy, rows], 'float32', paramsProgram.uniformData()); // [2·H]
    const [dv] = unpackTensors(rows, [{ offset: 0, shape: [m, h] }]);
    const [dGamma, dBeta] = unpackTensors(params, [{ offset: 0, shape: [h] }, { offset: h, shape: [h] }]);
    return [dv, dGamma, dBeta] as tf.Tensor[];
  }) as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
}
