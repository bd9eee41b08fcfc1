import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { FlashAttentionBackwardProgram, MAX_BACKWARD_SEQ } from '../kernels/webgpu/flash-attention-backward.js';
import { FlashAttentionProgram, MAX_HEAD_SIZE, type FlashAttentionShape } from '../kernels/webgpu/flash-attention.js';
import { dropout } from './dropout.js';
import type { DropoutDraw } from './dropout-hash.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import './register-gradients.js';

// Scaled dot-product attention (Vaswani et al. 2017 §3.2.1) with HF's additive mask ((1 - mask)·float32.min,
// added after scaling, so masked keys get probability 0). fusedAttention / fusedSelfAttention run it as one
// flash-attention dispatch on WebGPU (the [T, T] scores never reach memory, so they cannot return the
// probabilities: callers that need them use attentionReference). fusedSelfAttention also takes the training
// dropout of the probabilities, tested in the kernels from the counter-based hash (ops/dropout-hash.ts).

export interface AttentionResult {
  context: tf.Tensor4D; // [B, A, Tq, D]
  probs: tf.Tensor4D; // [B, A, Tq, Tk]
}

/**
 * softmax(q·kᵀ·scale + mask)·v and its probabilities (after dropout when a draw is given), as tfjs ops (HF's
 * eager path).
 */
export function attentionReference(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D | null, scale: number, drop: DropoutDraw | null = null): AttentionResult {
  return tf.tidy(() => {
    const scores = tf.mul(tf.matMul(q, k, false, true), scale); // [B, A, Tq, Tk]
    const softmax = tf.softmax(mask === null ? scores : tf.add(scores, mask)) as tf.Tensor4D; // [B, A, Tq, Tk]
    const probs = drop === null ? softmax : dropout(softmax, drop);
    return { context: tf.matMul(probs, v) as tf.Tensor4D, probs }; // [B, A, Tq, D]
  });
}

/** dq, dk, dv of attentionReference's context given dContext, as tfjs ops (the probabilities recomputed). */
function attentionBackward(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D | null, scale: number, dOut: tf.Tensor4D): tf.Tensor4D[] {
  const scores = tf.mul(tf.matMul(q, k, false, true), scale); // [B, A, Tq, Tk]
  const masked = mask === null ? scores : tf.add(scores, mask);
  // softmax written out: tfjs-backend-webgpu's Softmax starts its row max just above float32's min, so a fully
  // masked row (every score float32.min) sums to 0 there and gives NaN; a real max gives exp(0) per key
  const e = tf.exp(tf.sub(masked, tf.max(masked, -1, true)));
  const probs = tf.div(e, tf.sum(e, -1, true)); // [B, A, Tq, Tk]
  const dv = tf.matMul(probs, dOut, true, false); // [B, A, Tk, D]
  const dProbs = tf.matMul(dOut, v, false, true); // [B, A, Tq, Tk]
  const dScores = tf.mul(probs, tf.sub(dProbs, tf.sum(tf.mul(dProbs, probs), -1, true))); // softmax backward
  const dq = tf.mul(tf.matMul(dScores, k), scale); // [B, A, Tq, D]
  const dk = tf.mul(tf.matMul(dScores, q, true, false), scale); // [B, A, Tk, D]
  return [dq, dk, dv] as tf.Tensor4D[];
}

function checkMask(mask: tf.Tensor4D | null, b: number, a: number, tq: number, tk: number): void {
  if (mask === null) return;
  const ok = mask.rank === 4 && [b, a, tq].every((d, i) => mask.shape[i] === d || mask.shape[i] === 1) && mask.shape[3] === tk;
  if (!ok) throw new OpShapeError('fusedAttention', `mask must be [${b} | 1, ${a} | 1, ${tq} | 1, ${tk}], got [${mask.shape}]`);
}

function runFlash(inputs: tf.Tensor[], mask: tf.Tensor4D | null, shape: FlashAttentionShape): tf.Tensor {
  const program = new FlashAttentionProgram(shape);
  return runProgram(program, mask === null ? inputs : [...inputs, mask], 'float32', program.uniformData());
}

/**
 * softmax(q·kᵀ·scale + mask)·v. On WebGPU one dispatch ({@link FlashAttentionProgram}, head size ≤ 256);
 * elsewhere {@link attentionReference}. Differentiable in q, k, v (the WebGPU backward pass is tfjs ops).
 *
 * @param q [B, A, Tq, D]; k, v [B, A, Tk, D]
 * @param mask additive, [B | 1, A | 1, Tq | 1, Tk], or null
 * @returns [B, A, Tq, D]
 */
export function fusedAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D | null, scale: number): tf.Tensor4D {
  const [b, a, tq, d] = q.shape;
  const tk = k.shape[2];
  if (q.rank !== 4 || k.shape.join() !== [b, a, tk, d].join() || v.shape.join() !== k.shape.join()) {
    throw new OpShapeError('fusedAttention', `expected q [B, A, Tq, D] and k, v [B, A, Tk, D], got q [${q.shape}], k [${k.shape}], v [${v.shape}]`);
  }
  checkMask(mask, b, a, tq, tk);
  if (!fusedKernelsAvailable() || d > MAX_HEAD_SIZE) return tf.tidy(() => attentionReference(q, k, v, mask, scale).context);
  const shape: FlashAttentionShape = { layout: 'heads', batch: b, heads: a, tq, tk, headSize: d, mask: mask?.shape ?? null, scale };
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    const ts = args as tf.Tensor4D[];
    save(mask === null ? ts : [...ts, mask]); // the mask too: the backward pass runs after the caller freed it
    return {
      value: runFlash(ts, mask, shape) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sMask] = saved as tf.Tensor4D[];
        return attentionBackward(sq, sk, sv, sMask ?? null, scale, dy as tf.Tensor4D);
      },
    };
  });
  return op(q, k, v);
}

/** [B, T, 3H] -> q, k, v [B, A, T, D] (HF's `transpose_for_scores` of each third). */
function splitPacked(qkv: tf.Tensor3D, heads: number): tf.Tensor4D[] {
  const [b, t, h3] = qkv.shape;
  const d = h3 / 3 / heads;
  return tf.split(qkv, 3, 2).map((x) => tf.transpose(tf.reshape(x, [b, t, heads, d]), [0, 2, 1, 3]) as tf.Tensor4D);
}

/** [B, A, T, D] -> [B, T, A·D] */
function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, a, t, d] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, a * d]);
}

/**
 * Self-attention over a packed Q/K/V projection (fusedLinear with the three kernels as blocks): q, k and v
 * side by side in the last axis, heads merged, and the context returned with heads merged too. On WebGPU one
 * dispatch that reads and writes these layouts in place (no head split / merge transposes), and one for the
 * backward pass (T ≤ 512; {@link FlashAttentionBackwardProgram}). With a dropout draw, element (b, a, i, j) of
 * the probabilities is dropped as {@link dropout} drops that flat index of a [B, A, T, T] tensor, on every
 * backend.
 *
 * @param qkv [B, T, 3·H] with H = heads · D
 * @param mask additive, [B | 1, heads | 1, T | 1, T], or null
 * @param drop dropout of the probabilities (training), or null
 * @returns [B, T, H]
 */
export function fusedSelfAttention(qkv: tf.Tensor3D, mask: tf.Tensor4D | null, heads: number, scale: number, drop: DropoutDraw | null = null): tf.Tensor3D {
  const [b, t, h3] = qkv.shape;
  if (qkv.rank !== 3 || h3 % (3 * heads) !== 0) {
    throw new OpShapeError('fusedSelfAttention', `qkv must be [B, T, 3·${heads}·D], got [${qkv.shape}]`);
  }
  const d = h3 / 3 / heads;
  checkMask(mask, b, heads, t, t);
  return tf.tidy(() => {
    const rate = drop?.rate ?? 0;
    const kernelBackward = t <= MAX_BACKWARD_SEQ;
    if (!fusedKernelsAvailable() || d > MAX_HEAD_SIZE || (rate > 0 && !kernelBackward)) {
      const [q, k, v] = splitPacked(qkv, heads);
      return mergeHeads(attentionReference(q, k, v, mask, scale, rate > 0 ? drop : null).context);
    }
    const shape: FlashAttentionShape = { layout: 'packed', batch: b, heads, tq: t, tk: t, headSize: d, mask: mask?.shape ?? null, scale, dropout: rate > 0 ? drop : null };
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
      const out = runFlash([x], mask, shape) as tf.Tensor3D; // [B, T, H]
      // the mask too: the backward pass runs after the caller freed it
      save(mask === null ? [x, out] : [x, out, mask]);
      return {
        value: out,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const sMask = (saved[2] as tf.Tensor4D | undefined) ?? null;
          if (kernelBackward) {
            const program = new FlashAttentionBackwardProgram(shape);
            const inputs = [saved[0], saved[1], dy, ...(sMask === null ? [] : [sMask])];
            return [runProgram(program, inputs, 'float32', program.uniformData())]; // [B, T, 3H]
          }
          const [q, k, v] = splitPacked(saved[0] as tf.Tensor3D, heads);
          const dOut = tf.transpose(tf.reshape(dy, [b, t, heads, d]), [0, 2, 1, 3]) as tf.Tensor4D; // [B, A, T, D]
          return [tf.concat(attentionBackward(q, k, v, sMask, scale, dOut).map(mergeHeads), 2)]; // [B, T, 3H]
        },
      };
    });
    return op(qkv);
  });
}
