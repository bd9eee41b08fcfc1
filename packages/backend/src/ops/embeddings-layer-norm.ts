import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import { EmbeddingsLayerNormProgram } from '../kernels/webgpu/embeddings-layer-norm.js';
import { LN_MAX_PER_THREAD, LN_THREADS } from '../kernels/webgpu/layer-norm-wgsl.js';
import { fusedKernelsAvailable, runProgram } from '../kernels/webgpu/run-program.js';
import { gatherRows } from './gather-rows.js';
import { layerNormReference } from './layer-norm.js';
import { unpackTensors } from '../kernels/webgpu/buffer-copy.js';
import { dropout } from './dropout.js';
import type { DropoutDraw } from './dropout-hash.js';
import { layerNormGradsOnGpu } from './layer-norm-grads.js';
import './register-gradients.js';

/** BERT's three embedding tables (HF `word_embeddings`, `position_embeddings`, `token_type_embeddings`). */
export interface EmbeddingTables {
  word: tf.Tensor2D; // [V, H]
  position: tf.Tensor2D; // [P, H]
  tokenType: tf.Tensor2D; // [TV, H]
}

/**
 * BERT's input representation (paper §3.2, HF `BertEmbeddings`): dropout(LayerNorm((word[ids] +
 * tokenType[typeIds]) + position[positions])). `positions` null means 0..T-1 for every row (HF's default
 * `position_ids`). On WebGPU with default positions: one dispatch ({@link EmbeddingsLayerNormProgram}, the
 * dropout mask tested in place); otherwise gathers, adds, a LayerNorm and {@link dropout} as tfjs ops.
 * Differentiable in the tables, gamma and beta (ids get no gradient); on WebGPU the backward pass reads the sum the
 * forward kernel kept (LayerNorm's two kernels, then scatters into the tables).
 *
 * @param wordIds int32 [B, T]; typeIds int32 [B, T]; positions int32 [B, T] or null
 * @param drop the embeddings' dropout (training; flat index of the [B, T, H] output), or null
 * @returns [B, T, H]
 */
export function embeddingsLayerNorm(
  wordIds: tf.Tensor2D,
  typeIds: tf.Tensor2D,
  positions: tf.Tensor2D | null,
  tables: EmbeddingTables,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
  drop: DropoutDraw | null = null,
): tf.Tensor3D {
  const [b, t] = wordIds.shape;
  const h = tables.word.shape[1];
  if (wordIds.rank !== 2 || wordIds.dtype !== 'int32' || typeIds.dtype !== 'int32') {
    throw new OpShapeError('embeddingsLayerNorm', `wordIds and typeIds must be int32 [B, T], got ${wordIds.dtype} [${wordIds.shape}] and ${typeIds.dtype} [${typeIds.shape}]`);
  }
  for (const [name, ids] of [['typeIds', typeIds], ['positions', positions]] as const) {
    if (ids !== null && ids.shape.join() !== wordIds.shape.join()) {
      throw new OpShapeError('embeddingsLayerNorm', `${name} must be [${wordIds.shape}] like wordIds, got [${ids.shape}]`);
    }
  }
  for (const [name, table] of Object.entries(tables) as Array<[string, tf.Tensor2D]>) {
    if (table.rank !== 2 || table.shape[1] !== h) throw new OpShapeError('embeddingsLayerNorm', `table ${name} must be [*, ${h}], got [${table.shape}]`);
  }
  if (positions === null && t > tables.position.shape[0]) {
    throw new OpShapeError('embeddingsLayerNorm', `sequence length ${t} is over the ${tables.position.shape[0]} position embeddings`);
  }
  /** (word + type) + position, [B, T, H], as tfjs ops (HF's summation order). */
  const sum = (word: tf.Tensor2D, position: tf.Tensor2D, tokenType: tf.Tensor2D, ids: tf.Tensor = wordIds, types: tf.Tensor = typeIds): tf.Tensor =>
    tf.add(
      tf.add(gatherRows(word, ids), gatherRows(tokenType, types)),
      positions === null ? tf.slice(position, [0, 0], [t, h]) : gatherRows(position, positions),
    );
  return tf.tidy(() => {
    const d = drop !== null && drop.rate > 0 ? drop : null;
    if (!fusedKernelsAvailable() || positions !== null || h > LN_THREADS * LN_MAX_PER_THREAD) {
      const normed = layerNormReference(sum(tables.word, tables.position, tables.tokenType), gamma, beta, eps) as tf.Tensor3D;
      return d === null ? normed : dropout(normed, d);
    }
    const ids = tf.reshape(wordIds, [-1]); // [M]
    const types = tf.reshape(typeIds, [-1]); // [M]
    // the ids are closed over, not inputs, so that customGrad differentiates the tables only (as gatherRows);
    // they are saved for the backward pass, which runs after the caller's tidy has freed them
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const save = args.pop() as tf.GradSaveFunc;
      const [word, position, tokenType, g, bt] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
      const m = b * t;
      const program = new EmbeddingsLayerNormProgram(m, h, t, { vocab: word.shape[0], positions: position.shape[0], types: tokenType.shape[0] }, eps, d);
      const packed = runProgram(program, [ids, types, word, position, tokenType, g, bt], 'float32', program.uniformData()); // [2·M·H]
      // the output, and the pre-LayerNorm sum for the backward pass, cut out by buffer copies (no dispatch)
      const [out, v] = unpackTensors(packed, [{ offset: 0, shape: [m, h] }, { offset: m * h, shape: [m, h] }]);
      save([word, position, tokenType, g, ids, types, v]);
      return {
        value: out, // [M, H]
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sw, sp, st, sg, sIds, sTypes, sv] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor2D];
          const { dv, dGamma, dBeta } = layerNormGradsOnGpu(sv, null, null, sg, dy as tf.Tensor2D, eps, d);
          const dWord = tf.scatterND(tf.reshape(sIds, [-1, 1]), dv, sw.shape); // [V, H]
          const dType = tf.scatterND(tf.reshape(sTypes, [-1, 1]), dv, st.shape); // [TV, H]
          const dPosRows = tf.sum(tf.reshape(dv, [b, t, h]), 0); // [T, H]
          const dPos = tf.pad(dPosRows, [[0, sp.shape[0] - t], [0, 0]]); // [P, H]
          return [dWord, dPos, dType, dGamma, dBeta];
        },
      };
    });
    return tf.reshape(op(tables.word, tables.position, tables.tokenType, gamma, beta), [b, t, h]) as tf.Tensor3D;
  });
}
