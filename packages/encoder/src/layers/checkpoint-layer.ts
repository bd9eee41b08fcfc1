// Activation checkpointing (Chen et al. 2016, "Training deep nets with sublinear memory cost"): a layer runs as one
// custom-gradient op that keeps only its input for the backward pass. Its backward pass runs the layer's forward
// again — with the same dropout draws, replayed from the Rng's state before the layer — and differentiates that.
// The intermediates of one layer at a time are alive instead of every layer's (attention scores, the [T, 4H]
// feed-forward activations), for about a third more compute.
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from './layer.js';
import type { ForwardContext } from './modules.js';

/**
 * `layer.forward(hidden).hidden`, differentiable in `hidden` and in the layer's parameters, with only `hidden`
 * and the mask saved for the backward pass.
 *
 * @param hidden [B, T, H]
 * @param additiveMask [B, 1, 1 | T, T]
 * @returns [B, T, H]
 */
export function checkpointedLayer(layer: Layer, hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): tf.Tensor3D {
  const vars = layer.params().map(([, p]) => p.variable);
  const replayFrom = ctx.dropoutRng?.state() ?? null;
  const run = (h: tf.Tensor3D, mask: tf.Tensor4D, rng: Rng | null) =>
    layer.forward(h, mask, { ...ctx, dropoutRng: rng, capture: null }, '').hidden; // [B, T, H]
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    const h = args[0] as tf.Tensor3D;
    save([h, additiveMask]); // the mask too: the backward pass runs after the caller's tidy freed it
    return {
      value: run(h, additiveMask, ctx.dropoutRng),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, sMask] = saved as [tf.Tensor3D, tf.Tensor4D];
        const rng = replayFrom === null ? null : Rng.fromState(replayFrom);
        // A gradient inside the outer backward pass: tfjs-core's engine starts a fresh tape for it and, when done,
        // frees that tape's saved tensors and drops `state.activeTape` — the outer pass's tape, which it frees
        // last. Keep the outer tape aside meanwhile (engine internals, stable across tfjs-core 4.x).
        const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
        const outer = state.activeTape;
        try {
          const { value, grads } = tf.engine().gradients(() => run(sh, sMask, rng), [sh, ...vars], dy);
          value.dispose();
          return grads;
        } finally {
          state.activeTape = outer;
        }
      },
    };
  });
  return op(hidden, ...vars) as tf.Tensor3D;
}
