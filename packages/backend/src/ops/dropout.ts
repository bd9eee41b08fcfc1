import * as tf from '@tensorflow/tfjs-core';
import { DropoutProgram } from '../kernels/webgpu/dropout.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { dropoutMask, dropoutThreshold, type DropoutDraw } from './dropout-hash.js';
import './register-gradients.js';

/**
 * Inverted dropout (HF `nn.Dropout`): each element zeroed when its counter-based hash falls under the rate
 * (ops/dropout-hash.ts), the kept ones scaled by 1 / (1 - rate). Element i of x (flat, row-major) uses mask
 * element i of the draw's stream, on every backend: on WebGPU one dispatch that tests the bits in place (its
 * gradient the same dispatch on dy); elsewhere the mask computed in JS and multiplied in.
 *
 * @param x any shape, float32
 * @param draw the rate and the stream key; rate 0 returns x itself
 */
export function dropout<T extends tf.Tensor>(x: T, draw: DropoutDraw): T {
  dropoutThreshold(draw.rate); // checks the rate
  if (draw.rate === 0) return x;
  if (!fusedKernelsAvailable()) {
    return tf.tidy(() => tf.mul(x, tf.tensor(dropoutMask(draw, x.size), x.shape, 'float32')) as T);
  }
  const run = (t: tf.Tensor): tf.Tensor => {
    const program = new DropoutProgram(t.shape, draw);
    return runProgram(program, [t], 'float32', program.uniformData());
  };
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({ value: run(args[0] as tf.Tensor), gradFunc: (dy: tf.Tensor) => run(dy) }));
  return op(x) as T;
}
