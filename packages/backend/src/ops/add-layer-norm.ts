import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { AddLayerNormProgram } from '../kernels/webgpu/add-layer-norm.js';
import { LN_MAX_PER_THREAD, LN_THREADS } from '../kernels/webgpu/layer-norm-wgsl.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { layerNormReference } from './layer-norm.js';
import { dropout } from './dropout.js';
import type { DropoutDraw } from './dropout-hash.js';
import { layerNormGradsOnGpu } from './layer-norm-grads.js';
import './register-gradients.js';

/**
 * `LayerNorm(dropout(x) + residual)` over the last axis — the post-LN tail of BERT's sub-layers (HF
 * `BertSelfOutput`: `LayerNorm(dropout(hidden_states) + input_tensor)`). On WebGPU one dispatch
 * ({@link AddLayerNormProgram}; rows up to 2048 values; the dropout mask tested in place); elsewhere tfjs ops.
 * Differentiable (on WebGPU the backward pass is two dispatches, layer-norm-grads.ts).
 *
 * @param x [..., H]
 * @param residual [..., H] or null (a plain LayerNorm)
 * @param gamma [H], beta [H]
 * @param drop dropout of x (training; flat index of x, as {@link dropout}), or null
 * @returns [..., H]
 */
export function addLayerNorm<T extends tf.Tensor>(x: T, residual: tf.Tensor | null, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, drop: DropoutDraw | null = null): T {
  const h = x.shape[x.rank - 1];
  if (residual !== null && residual.shape.join() !== x.shape.join()) {
    throw new OpShapeError('addLayerNorm', `residual must be [${x.shape}] like x, got [${residual.shape}]`);
  }
  for (const [name, t] of [['gamma', gamma], ['beta', beta]] as const) {
    if (t.rank !== 1 || t.shape[0] !== h) throw new OpShapeError('addLayerNorm', `${name} must be [${h}], got [${t.shape}]`);
  }
  return tf.tidy(() => {
    const d = drop !== null && drop.rate > 0 ? drop : null;
    if (!fusedKernelsAvailable() || h > LN_THREADS * LN_MAX_PER_THREAD) {
      const dropped = d === null ? x : dropout(x, d);
      return layerNormReference(residual === null ? dropped : (tf.add(dropped, residual) as T), gamma, beta, eps);
    }
    const x2 = tf.reshape(x, [-1, h]) as tf.Tensor2D; // [M, H]
    const rows = x2.shape[0];
    const r2 = residual === null ? [] : [tf.reshape(residual, [-1, h])]; // [M, H]
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const save = args.pop() as tf.GradSaveFunc;
      const ts = args as tf.Tensor[];
      save(ts);
      const program = new AddLayerNormProgram(rows, h, { residual: residual !== null, dropout: d }, eps);
      return {
        value: runProgram(program, ts, 'float32', program.uniformData()), // [M, H]
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const res = (saved.length === 4 ? saved[1] : null) as tf.Tensor2D | null;
          const g = layerNormGradsOnGpu(saved[0] as tf.Tensor2D, res, d, saved[saved.length - 2] as tf.Tensor1D, dy as tf.Tensor2D, eps);
          return res !== null ? [g.dx, g.dv, g.dGamma, g.dBeta] : [g.dx, g.dGamma, g.dBeta];
        },
      };
    });
    return tf.reshape(op(x2, ...r2, gamma, beta), x.shape) as T; // [..., H]
  });
}
