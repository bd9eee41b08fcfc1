import * as tf from '@tensorflow/tfjs-core';
import { WASM_BATCHED_MAT_MUL, wasmBatchedMatMulReady } from '../backends/wasm-batched-mat-mul.js';
import { OpShapeError } from '../errors.js';
import { fusedKernelsAvailable } from '../kernels/webgpu/run-program.js';
import './register-gradients.js';

/** Swaps the last two axes: [..., M, K] -> [..., K, M]. */
function transposeLast2(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * `tf.matMul(a, b)` without transposes; batched products on wasm go through XNNPACK entry by entry (see
 * backends/wasm-batched-mat-mul.ts) instead of tfjs-backend-wasm's naive batched loop.
 */
function plainProduct(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank > 2 && a.dtype === 'float32' && b.dtype === 'float32' && wasmBatchedMatMulReady()) {
    return tf.engine().runKernel(WASM_BATCHED_MAT_MUL, { a, b }, {}) as tf.Tensor;
  }
  return tf.matMul(a, b);
}

/** Plain product of equally-batched operands, with a backward pass that never uses transposeA/transposeB. */
const batchedMatMul = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: plainProduct(a, b), // [..., M, N]
    // dA = dY · Bᵀ and dB = Aᵀ · dY with the transposes materialised: tfjs's default BatchMatMul gradient asks
    // for transposeA/transposeB products, which tfjs-backend-wasm runs 10-40x slower than plain ones.
    // On WebGPU the transposed operands are read in place (tfjs's MatMulPacked program), saving two dispatches.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      if (fusedKernelsAvailable()) return [tf.matMul(dy, sb, false, true), tf.matMul(sa, dy, true, false)];
      return [
        plainProduct(dy, transposeLast2(sb)), // [..., M, K]
        plainProduct(transposeLast2(sa), dy), // [..., K, N]
      ];
    },
  };
});

/**
 * Matrix product `a · b` for [M, K] x [K, N] and batched [..., M, K] x [..., K, N] (equal batch dims), or a
 * batched `a` [..., M, K] times a 2-D `b` [K, N] (the batch is folded into M). Values equal `tf.matMul`; the
 * gradient is computed with explicit transposes and plain products so it is fast on every backend.
 */
export function matMul<R extends tf.Rank>(a: tf.Tensor<R>, b: tf.Tensor): tf.Tensor<R> {
  if (a.rank < 2 || b.rank < 2) {
    throw new OpShapeError('matMul', `expected rank >= 2 operands, got a [${a.shape}] and b [${b.shape}]`);
  }
  const k = a.shape[a.rank - 1];
  if (b.shape[b.rank - 2] !== k) {
    throw new OpShapeError(
      'matMul',
      `inner dimensions differ: a [${a.shape}] has K=${k}, b [${b.shape}] has K=${b.shape[b.rank - 2]}`,
    );
  }
  return tf.tidy(() => {
    if (b.rank === 2 && a.rank > 2) {
      const n = b.shape[1] as number;
      const a2 = tf.reshape(a, [-1, k]); // [prod(...) * M, K]
      const y = batchedMatMul(a2, b); // [prod(...) * M, N]
      return tf.reshape<tf.Rank>(y, [...a.shape.slice(0, -1), n]) as tf.Tensor<R>; // [..., M, N]
    }
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    if (batchA.length !== batchB.length || batchA.some((d, i) => d !== batchB[i])) {
      throw new OpShapeError(
        'matMul',
        `batch dimensions must be equal (or b 2-D), got a [${a.shape}] and b [${b.shape}]`,
      );
    }
    return batchedMatMul(a, b) as tf.Tensor<R>;
  });
}
