import * as tf from '@tensorflow/tfjs-core';
import { OpShapeError } from '../errors.js';
import './register-gradients.js';

/**
 * Embedding lookup: row `ids[...]` of `table`. Values equal `tf.gather(table, ids)`.
 *
 * The gradient w.r.t. `table` is a scatter-add of the incoming rows (`tf.scatterND` sums duplicate indices),
 * because tfjs's Gather gradient uses UnsortedSegmentSum, which tfjs-backend-wasm does not implement. `ids`
 * receives no gradient (they are integers).
 *
 * @param table [V, H] float32
 * @param ids int32, any shape [...S]
 * @returns [...S, H]
 */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  if (table.rank !== 2) {
    throw new OpShapeError('gatherRows', `table must be [V, H], got [${table.shape}]`);
  }
  if (ids.dtype !== 'int32') {
    throw new OpShapeError('gatherRows', `ids must be int32, got ${ids.dtype}`);
  }
  const [vocab, hidden] = table.shape;
  return tf.tidy(() => {
    const flat = tf.reshape(ids, [-1]); // [N]
    // ids are closed over rather than passed as inputs so that customGrad only differentiates the table.
    const lookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([flat]);
      return {
        value: tf.gather(t, flat), // [N, H]
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const idx = tf.reshape(saved[0], [-1, 1]); // [N, 1]
          return tf.scatterND(idx, dy, [vocab, hidden]); // [V, H]
        },
      };
    });
    const rows = lookup(table); // [N, H]
    return tf.reshape(rows, [...ids.shape, hidden]); // [...S, H]
  });
}
