import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { AdamWProgram } from '../kernels/webgpu/adamw.js';
import { maxPackedElements, packGroups, packTensors, unpackTensors } from '../kernels/webgpu/buffer-copy.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';

/** One parameter tensor's AdamW update: its value, gradient, moments and this step's coefficients. */
export interface AdamWSlotUpdate {
  param: tf.Tensor;
  grad: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
  /** `1 - lr·weightDecay` (exactly 1 when the tensor is not decayed). */
  decayFactor: number;
  /** `lr / (1 - β1^t)`. */
  stepSize: number;
  /** `sqrt(1 - β2^t)`. */
  bc2Sqrt: number;
}

export interface AdamWHyper {
  beta1: number;
  beta2: number;
  eps: number;
}

/** The new value and moments of one tensor (new tensors the caller owns). */
export interface AdamWSlotResult {
  param: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

/**
 * One AdamW update (torch.optim.AdamW: decoupled decay, then Adam with bias correction) of many tensors. On
 * WebGPU one dispatch for all of them ({@link AdamWProgram}; the tensors are packed and unpacked with buffer
 * copies; one dispatch per group when 4 × all of them exceed one storage binding, per-tensor ops for a single
 * tensor that does); elsewhere per-tensor tfjs ops. `gradScale` [] multiplies every gradient first (the clipping
 * coefficient), as `g * coef` would.
 */
export function adamwUpdate(slots: readonly AdamWSlotUpdate[], hyper: AdamWHyper, gradScale: tf.Scalar | null = null): AdamWSlotResult[] {
  for (const s of slots) {
    for (const [name, t] of [['grad', s.grad], ['m', s.m], ['v', s.v]] as const) {
      if (!tf.util.arraysEqual(t.shape, s.param.shape)) {
        throw new OpShapeError('adamwUpdate', `${name} must be [${s.param.shape}] like its parameter, got [${t.shape}]`);
      }
    }
  }
  if (slots.length === 0) return [];
  if (!fusedKernelsAvailable() || slots.some((s) => s.param.dtype !== 'float32' || s.grad.dtype !== 'float32')) {
    return slots.map((s) => updateOne(s, hyper, gradScale));
  }
  const max = maxPackedElements(4);
  const results: AdamWSlotResult[] = [];
  for (const group of packGroups(slots.map((s) => s.param.size), max)) {
    const part = group.map((i) => slots[i]);
    if (part.length === 1 && part[0].param.size > max) results.push(updateOne(part[0], hyper, gradScale));
    else results.push(...updatePacked(part, hyper, gradScale));
  }
  return results;
}

/** One dispatch for every tensor of `slots` (packed [4·N] in, [3·N] out, unpacked by buffer copies). */
function updatePacked(slots: readonly AdamWSlotUpdate[], hyper: AdamWHyper, gradScale: tf.Scalar | null): AdamWSlotResult[] {
  return tf.tidy(() => {
    const n = slots.reduce((k, s) => k + s.param.size, 0);
    const starts: number[] = [];
    let offset = 0;
    for (const s of slots) {
      starts.push(offset);
      offset += s.param.size;
    }
    starts.push(n);
    const packed = packTensors([...slots.map((s) => s.param), ...slots.map((s) => s.grad), ...slots.map((s) => s.m), ...slots.map((s) => s.v)]); // [4N]
    const coeffs = tf.tensor2d(slots.flatMap((s) => [s.decayFactor, s.stepSize, s.bc2Sqrt]), [slots.length, 3], 'float32'); // [K, 3]
    const scale = gradScale ? tf.reshape(gradScale, [1]) : tf.ones([1]); // [1]
    const program = new AdamWProgram(n, slots.length, hyper);
    const out = runProgram(program, [packed, tf.tensor1d(starts, 'int32'), coeffs, scale], 'float32', program.uniformData()); // [3N]
    const pieces = (base: number) => slots.map((s, i) => ({ offset: base + starts[i], shape: s.param.shape }));
    const [params, ms, vs] = [0, n, 2 * n].map((base) => unpackTensors(out, pieces(base)));
    return slots.map((_, i) => ({ param: params[i], m: ms[i], v: vs[i] })) as unknown as tf.TensorContainer;
  }) as unknown as AdamWSlotResult[];
}

/** One tensor with tfjs ops: the arithmetic of @bertkit/training's AdamW before this op, unchanged. */
function updateOne(s: AdamWSlotUpdate, h: AdamWHyper, gradScale: tf.Scalar | null): AdamWSlotResult {
  return tf.tidy(() => {
    const g = gradScale ? tf.mul(s.grad, gradScale) : s.grad; // clipped: g * clip_coef
    const decayed = s.decayFactor !== 1 ? tf.mul(s.param, tf.scalar(s.decayFactor)) : s.param; // p.mul_(1 - lr * wd)
    const m = tf.add(tf.mul(s.m, tf.scalar(h.beta1)), tf.mul(g, tf.scalar(1 - h.beta1))); // exp_avg
    const v = tf.add(tf.mul(s.v, tf.scalar(h.beta2)), tf.mul(tf.mul(g, g), tf.scalar(1 - h.beta2))); // exp_avg_sq
    const denom = tf.add(tf.div(tf.sqrt(v), tf.scalar(s.bc2Sqrt)), tf.scalar(h.eps));
    const param = tf.sub(decayed, tf.mul(tf.div(m, denom), tf.scalar(s.stepSize))); // addcdiv_(m, denom, -step_size)
    return { param, m, v } as unknown as tf.TensorContainer;
  }) as unknown as AdamWSlotResult;
}
