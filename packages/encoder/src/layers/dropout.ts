// Inverted dropout (HF `nn.Dropout`, google-research/bert `dropout`): zero each element with probability p and
// scale the kept ones by 1 / (1 - p). The mask comes from the seeded Rng in JS, not from a backend's random op,
// so a given seed gives the same mask on every backend and in every run.
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';

export class DropoutError extends Error {
  override readonly name = 'DropoutError';
}

export function dropout<T extends tf.Tensor>(x: T, p: number, ctx: ForwardContext): T {
  if (!ctx.training || p === 0) return x;
  if (ctx.dropoutRng === null) {
    throw new DropoutError(`dropout: expected a dropoutRng when training with p=${p}, got none`);
  }
  const rng = ctx.dropoutRng;
  const n = x.size;
  const mask = new Float32Array(n);
  const scale = 1 / (1 - p);
  const threshold = p * 0x100000000; // drop when a uniform uint32 falls below p · 2^32
  for (let i = 0; i < n; i++) mask[i] = rng.nextUint32() < threshold ? 0 : scale;
  return tf.mul(x, tf.tensor(mask, x.shape, 'float32')) as T;
}
