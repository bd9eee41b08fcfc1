// State of one forward pass that every layer sees: training mode, the RNG that draws dropout masks, and an
// optional record that collects named intermediates for parity checks.
import type { Rng } from '@bertkit/backend';
import type * as tf from '@tensorflow/tfjs-core';

export interface ForwardContext {
  /** Dropout is applied only when training (google-research/bert: `if not is_training: dropout_prob = 0`). */
  training: boolean;
  /** Source of every dropout mask; required when training with a non-zero dropout probability. */
  dropoutRng: Rng | null;
  /** When set, layers store intermediates under the fixture names (`layer.0.attention_context`, ...). */
  capture: Record<string, tf.Tensor> | null;
}

export function record(ctx: ForwardContext, name: string, t: tf.Tensor): void {
  if (ctx.capture !== null) ctx.capture[name] = t;
}
