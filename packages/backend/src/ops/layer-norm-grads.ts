import * as tf from '@tensorflow/tfjs-core';
import { unpackTensors } from '../kernels/webgpu/buffer-copy.js';
import { LayerNormBackwardParamsProgram, LayerNormBackwardRowsProgram } from '../kernels/webgpu/layer-norm-backward.js';
import { runProgram } from '../kernels/webgpu/run-program.js';
import type { DropoutDraw } from './dropout-hash.js';

export interface AddLayerNormGrads {
  dv: tf.Tensor2D; // [M, H], the gradient of v = dropout(x) + residual (and so of the residual)
  dx: tf.Tensor2D; // [M, H], of x: dv · mask with dropout, else dv itself
  dGamma: tf.Tensor1D;
  dBeta: tf.Tensor1D;
}

/**
 * The WebGPU gradients of LayerNorm(dropout(x) + residual), v never materialised: the kernels read x and the
 * residual and test the dropout mask in place (two dispatches; dx comes out of the row kernel with dv). With
 * `outputDrop`, of dropout(LayerNorm(x)) instead: dy is read through that mask.
 *
 * @param x [M, H]; residual [M, H] or null; gamma [H]; dy [M, H]
 */
export function layerNormGradsOnGpu(
  x: tf.Tensor2D,
  residual: tf.Tensor2D | null,
  drop: DropoutDraw | null,
  gamma: tf.Tensor1D,
  dy: tf.Tensor2D,
  eps: number,
  outputDrop: DropoutDraw | null = null,
): AddLayerNormGrads {
  const out = tf.tidy(() => {
    const [m, h] = x.shape;
    const input = { residual: residual !== null, dropout: drop, outputDropout: outputDrop };
    const xr = residual === null ? [x] : [x, residual];
    const rowsProgram = new LayerNormBackwardRowsProgram(m, h, eps, input);
    const rows = runProgram(rowsProgram, [...xr, gamma, dy], 'float32', rowsProgram.uniformData()); // [M·H (+ M·H) + 2·M]
    const paramsProgram = new LayerNormBackwardParamsProgram(m, h, input);
    const params = runProgram(paramsProgram, [...xr, dy, rows], 'float32', paramsProgram.uniformData()); // [2·H]
    const pieces = [{ offset: 0, shape: [m, h] }, ...(drop === null ? [] : [{ offset: m * h, shape: [m, h] }])];
    const [dv, dx = dv] = unpackTensors(rows, pieces);
    const [dGamma, dBeta] = unpackTensors(params, [{ offset: 0, shape: [h] }, { offset: h, shape: [h] }]);
    return { dv, dx, dGamma, dBeta };
  });
  return out as unknown as AddLayerNormGrads;
}
