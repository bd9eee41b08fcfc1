// A tiny regression task (y = tanh(x W1 + b1) W2 + b2) with RNG-driven "dropout" noise, used by the loop and
// checkpoint tests: small enough to run hundreds of steps in a second, and it touches everything a real task
// does (named variables, a bias and a LayerNorm name excluded from decay, metrics, the run's RNG).
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import type { LossFn } from '../src/loop.js';

export interface ToyBatch {
  x: number[][]; // [B, 5]
  y: number[][]; // [B, 3]
}

/** Named variables with a fixed seeded init. */
export function toyParams(seed = 7): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  const init = (shape: number[], std: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from({ length: n }, () => rng.truncatedNormal(std)), shape);
  };
  const mk = (name: string, t: tf.Tensor) => {
    const v = tf.variable(t, true);
    t.dispose(); // the variable holds its own reference to the data
    return [name, v] as const;
  };
  return new Map([
    mk('layer.0.dense.weight', init([5, 7], 0.5)),
    mk('layer.0.dense.bias', init([7], 0.1)),
    mk('layer.0.LayerNorm.weight', tf.ones([7])),
    mk('head.weight', init([7, 3], 0.5)),
    mk('head.bias', tf.zeros([3])),
  ]);
}

/** An endless deterministic stream of batches from a seed (position i is always the same batch). */
export function* toyData(seed = 3, batchSize = 4): Generator<ToyBatch> {
  const rng = new Rng(seed);
  for (;;) {
    const x = Array.from({ length: batchSize }, () => Array.from({ length: 5 }, () => rng.normal()));
    const y = x.map((r) => [r[0] - r[1], 0.5 * r[2] * r[3], Math.sin(r[4])]);
    yield { x, y };
  }
}

export function toyLoss(params: Map<string, tf.Variable>): LossFn<ToyBatch> {
  return (batch, ctx) =>
    tf.tidy(() => {
      const x = tf.tensor2d(batch.x); // [B, 5]
      const y = tf.tensor2d(batch.y); // [B, 3]
      let h = tf.tanh(tf.add(tf.matMul(x, params.get('layer.0.dense.weight')!), params.get('layer.0.dense.bias')!)); // [B, 7]
      h = tf.mul(h, params.get('layer.0.LayerNorm.weight')!); // [B, 7]
      if (ctx.training && ctx.rng) {
        // inverted dropout p=0.1 from the run's RNG (so resume must restore the RNG to repeat the losses)
        const keep = Float32Array.from({ length: h.size }, () => (ctx.rng!.random() < 0.1 ? 0 : 1 / 0.9));
        h = tf.mul(h, tf.tensor(keep, h.shape)); // [B, 7]
      }
      const pred = tf.add(tf.matMul(h, params.get('head.weight')!), params.get('head.bias')!); // [B, 3]
      const loss = tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar;
      const mae = tf.mean(tf.abs(tf.sub(pred, y))) as tf.Scalar;
      return { loss, metrics: { mae } };
    });
}
