// The pooler (paper §3 / Figure 1, HF `BertPooler`): tanh(dense(h[CLS])), the sentence representation that the
// NSP and sequence-classification heads read.
import * as tf from '@tensorflow/tfjs-core';
import { Dense, prefixed, type ForwardContext, type Init, type NamedParams } from './modules.js';

export class Pooler {
  readonly dense: Dense;

  constructor(hiddenSize: number, init: Init) {
    this.dense = new Dense(hiddenSize, hiddenSize, init);
  }

  /** [B, T, H] -> [B, H] */
  forward(sequence: tf.Tensor3D, ctx?: ForwardContext): tf.Tensor2D {
    const [b, , h] = sequence.shape;
    const cls = tf.reshape(tf.slice(sequence, [0, 0, 0], [b, 1, h]), [b, h]) as tf.Tensor2D; // [B, H], the first token
    if (ctx?.fused) return this.dense.applyFused(cls, 'tanh'); // [B, H], one dispatch
    return tf.tanh(this.dense.apply(cls)); // [B, H]
  }

  params(): NamedParams {
    return prefixed('dense', this.dense.params());
  }
}
