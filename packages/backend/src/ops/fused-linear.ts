import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { FusedLinearProgram, type FusedActivation } from '../kernels/webgpu/fused-linear.js';
import { packTensors, unpackTensors } from '../kernels/webgpu/buffer-copy.js';
import { LinearGradProgram } from '../kernels/webgpu/linear-grad.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { applyActivation } from './activations.js';
import { linear } from './linear.js';
import './register-gradients.js';

export interface FusedLinearOptions {
  /** Applied to `x · W + b`, before the residual is added. Default none. */
  activation?: FusedActivation;
  /** [..., N], added last. */
  residual?: tf.Tensor | null;
  /**
   * The (single) kernel is stored [N, K] and read transposed in place: `x · Wᵀ + b`, e.g. a tied decoder over the
   * [V, H] word embeddings. Its gradient comes back [N, K] too. Default false.
   */
  transposedKernel?: boolean;
}

type Kernels = tf.Tensor2D | tf.Tensor2D[];
type Biases = tf.Tensor1D | tf.Tensor1D[] | null;

/**
 * `act(x · W + b) + residual` — a dense layer (HF `nn.Linear`) with its epilogue. On WebGPU one dispatch
 * ({@link FusedLinearProgram}); elsewhere {@link linear}, the activation and an add, as tfjs ops. `W` may be a
 * list of column blocks [K, Ni] (with matching biases [Ni]): the result is then [..., ΣNi], as if they were
 * concatenated (a fused Q/K/V projection, with no concatenated copy of the weights). Differentiable: on
 * WebGPU the backward pass is two or three dispatches (kernels/webgpu/linear-grad.ts: dz with the activation's
 * derivative, dx, and dW with db), the gradients of the blocks cut out by buffer copies.
 *
 * @param x [..., K]
 * @param kernel [K, N] or blocks [K, Ni] (or [N, K] with `transposedKernel`)
 * @param bias [N] or blocks [Ni], or null
 * @returns [..., N]
 */
export function fusedLinear<R extends tf.Rank>(x: tf.Tensor<R>, kernel: Kernels, bias: Biases, options: FusedLinearOptions = {}): tf.Tensor<R> {
  const kernels = Array.isArray(kernel) ? kernel : [kernel];
  const biases = bias === null ? null : Array.isArray(bias) ? bias : [bias];
  const k = x.shape[x.rank - 1];
  const transposed = options.transposedKernel === true;
  if (transposed && kernels.length !== 1) {
    throw new OpShapeError('fusedLinear', `a transposed kernel must be one [N, ${k}] tensor, got ${kernels.length} blocks`);
  }
  const widths = kernels.map((w, i) => {
    const [inDim, outDim] = transposed ? [w.shape[1], w.shape[0]] : [w.shape[0], w.shape[1]];
    if (w.rank !== 2 || inDim !== k) {
      const want = transposed ? `[N, ${k}]` : `[${k}, N]`;
      throw new OpShapeError('fusedLinear', `kernel ${i} must be ${want} to match x [${x.shape}], got [${w.shape}]`);
    }
    return outDim;
  });
  if (kernels.length < 1 || kernels.length > 3) {
    throw new OpShapeError('fusedLinear', `expected 1 to 3 kernel blocks, got ${kernels.length}`);
  }
  if (biases !== null && (biases.length !== widths.length || biases.some((b, i) => b.rank !== 1 || b.shape[0] !== widths[i]))) {
    throw new OpShapeError('fusedLinear', `bias blocks must be [${widths.join('], [')}], got ${biases.map((b) => `[${b.shape}]`).join(', ')}`);
  }
  const n = widths.reduce((a, b) => a + b, 0);
  const outShape = [...x.shape.slice(0, -1), n];
  const residual = options.residual ?? null;
  if (residual !== null && residual.shape.join() !== outShape.join()) {
    throw new OpShapeError('fusedLinear', `residual must be [${outShape}], got [${residual.shape}]`);
  }
  const activation = options.activation ?? null;
  return tf.tidy(() => {
    if (!fusedKernelsAvailable()) {
      const w = transposed ? tf.transpose(kernels[0]) : kernels.length === 1 ? kernels[0] : tf.concat(kernels, 1); // [K, N]
      const b = biases === null ? null : biases.length === 1 ? biases[0] : tf.concat(biases); // [N]
      const z = linear(x, w, b); // [..., N]
      const y = activation === null ? z : applyActivation(activation, z);
      return (residual === null ? y : tf.add(y, residual)) as tf.Tensor<R>;
    }
    // three blocks plus a residual would need a ninth storage buffer: add the residual separately
    const inKernel = residual !== null && kernels.length === 1 ? residual : null;
    const x2 = tf.reshape(x, [-1, k]) as tf.Tensor2D; // [M, K]
    const r2 = inKernel === null ? null : tf.reshape(inKernel, [-1, n]); // [M, N]
    const y = fusedOnGpu(x2, kernels, biases, r2, activation, transposed); // [M, N]
    const full = residual !== null && inKernel === null ? tf.add(y, tf.reshape(residual, [-1, n])) : y;
    return tf.reshape<tf.Rank>(full, outShape) as tf.Tensor<R>; // [..., N]
  });
}

/** The WebGPU kernel and its kernel backward pass. x2 [M, K], residual [M, N] → [M, N]. */
function fusedOnGpu(x2: tf.Tensor2D, kernels: tf.Tensor2D[], biases: tf.Tensor1D[] | null, residual: tf.Tensor | null, activation: FusedActivation | null, transposed: boolean): tf.Tensor {
  const parts = kernels.length;
  const inputs = [x2, ...kernels, ...(biases ?? []), ...(residual === null ? [] : [residual])];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    const ts = args as tf.Tensor[];
    save(ts);
    const widths = kernels.map((w) => w.shape[transposed ? 0 : 1]);
    const shape = { m: x2.shape[0], k: x2.shape[1], widths, bias: biases !== null, activation, residual: residual !== null, transposed };
    const program = new FusedLinearProgram(shape);
    return {
      value: runProgram(program, ts, 'float32', program.uniformData()),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ...rest] = saved;
        const ws = rest.slice(0, parts);
        const bs = biases === null ? [] : rest.slice(parts, 2 * parts);
        let dz = dy; // [M, N]
        if (activation !== null) {
          // dy · act'(x · W + b), the pre-activation recomputed in the same kernel: one dispatch
          // (several blocks' biases packed by a buffer copy: x, the blocks, dy and the output use the other bindings)
          const packedBias = bs.length > 1;
          const zProgram = new FusedLinearProgram({ ...shape, residual: false, activationGrad: true, packedBias });
          const zBias = packedBias ? [packTensors(bs)] : bs;
          dz = runProgram(zProgram, [sx, ...ws, ...zBias, dy], 'float32', zProgram.uniformData()); // [M, N]
        }
        const grad = { m: shape.m, k: shape.k, widths: shape.widths, bias: biases !== null, transposed };
        const dxProgram = new LinearGradProgram({ ...grad, mode: 'dx' });
        const dx = runProgram(dxProgram, [dz, ...ws], 'float32', dxProgram.uniformData()); // [M, K]
        const dwProgram = new LinearGradProgram({ ...grad, mode: 'dw' });
        const flat = runProgram(dwProgram, [sx, dz], 'float32', dwProgram.uniformData()); // [K·N (+ N)] block-major
        const k = shape.k;
        const starts = shape.widths.map((_, i) => shape.widths.slice(0, i).reduce((a, b) => a + b, 0));
        const dws = unpackTensors(flat, shape.widths.map((w, i) => ({ offset: k * starts[i], shape: transposed ? [w, k] : [k, w] })));
        const n = starts[parts - 1] + shape.widths[parts - 1];
        const dbs = biases === null ? [] : unpackTensors(flat, shape.widths.map((w, i) => ({ offset: k * n + starts[i], shape: [w] })));
        return [dx, ...dws, ...dbs, ...(residual === null ? [] : [dy])];
      },
    };
  });
  return op(...inputs);
}
