import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { AddLayerNormProgram } from '../kernels/webgpu/add-layer-norm.js';
import { LN_MAX_PER_THREAD, LN_THREADS } from '../kernels/webgpu/layer-norm-wgsl.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { layerNormReference } from './layer-norm.js';
import { layerNormGrads } from './layer-norm-grads.js';
import './register-gradients.js';

/**
 * `LayerNorm(x + residual)` over the last axis — the post-LN tail of BERT's sub-layers (HF `BertSelfOutput`:
 * `LayerNorm(hidden_states + input_tensor)`). On WebGPU one dispatch ({@link AddLayerNormProgram}; rows up to
 * 2048 values); elsewhere tfjs ops. Differentiable (on WebGPU the LayerNorm backward is two dispatches, layer-norm-grads.ts).
 *
 * @param x [..., H]
 * @param residual [..., H] or null (a plain LayerNorm)
 * @param gamma [H], beta [H]
 * @returns [..., H]
 */
export function addLayerNorm<T extends tf.Tensor>(x: T, residual: tf.Tensor | null, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  const h = x.shape[x.rank - 1];
  if (residual !== null && residual.shape.join() !== x.shape.join()) {
    throw new OpShapeError('addLayerNorm', `residual must be [${x.shape}] like x, got [${residual.shape}]`);
  }
  for (const [name, t] of [['gamma', gamma], ['beta', beta]] as const) {
    if (t.rank !== 1 || t.shape[0] !== h) throw new OpShapeError('addLayerNorm', `${name} must be [${h}], got [${t.shape}]`);
  }
  return tf.tidy(() => {
    if (!fusedKernelsAvailable() || h > LN_THREADS * LN_MAX_PER_THREAD) {
      return layerNormReference(residual === null ? x : (tf.add(x, residual) as T), gamma, beta, eps);
    }
    const x2 = tf.reshape(x, [-1, h]) as tf.Tensor2D; // [M, H]
    const rows = x2.shape[0];
    const r2 = residual === null ? [] : [tf.reshape(residual, [-1, h])]; // [M, H]
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const save = args.pop() as tf.GradSaveFunc;
      const ts = args as tf.Tensor[];
      save(ts);
      const program = new AddLayerNormProgram(rows, h, residual !== null, eps);
      return {
        value: runProgram(program, ts, 'float32', program.uniformData()), // [M, H]
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const v = (saved.length === 4 ? tf.add(saved[0], saved[1]) : saved[0]) as tf.Tensor2D; // [M, H]
          const [dv, dGamma, dBeta] = layerNormGrads(v, saved[saved.length - 2] as tf.Tensor1D, dy as tf.Tensor2D, eps);
          return saved.length === 4 ? [dv, dv, dGamma, dBeta] : [dv, dGamma, dBeta];
        },
      };
    });
    return tf.reshape(op(x2, ...r2, gamma, beta), x.shape) as T; // [..., H]
  });
}
