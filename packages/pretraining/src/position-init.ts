// Position-embedding initialisation for a model trained from scratch. BERT draws position embeddings from
// N(0, 0.02) like every other weight, so attention has to discover word order from noise; small models trained for
// minutes sit on the unigram plateau meanwhile. `sinusoidal` starts the (still learned) table from the Transformer's
// sin/cos code (Vaswani et al. 2017, §3.5), scaled to the same standard deviation as the random init, so a dot
// product between positions is a smooth function of their distance from step 0. The checkpoint format is unchanged:
// it is an ordinary learned table that happens to start somewhere useful. docs/pretraining.md has the measurement.
import * as tf from '@tensorflow/tfjs-core';
import type { BertForPreTraining } from './pretraining-model.js';

export type PositionInit = 'normal' | 'sinusoidal';
export const POSITION_INITS: readonly PositionInit[] = ['normal', 'sinusoidal'];

/** The [P, H] sinusoidal table with standard deviation `std` (sin on even, cos on odd columns). */
export function sinusoidalTable(positions: number, hidden: number, std: number): Float32Array {
  const out = new Float32Array(positions * hidden);
  const scale = std * Math.SQRT2; // sin and cos have RMS 1/√2
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < hidden; i += 2) {
      const angle = p / Math.pow(10000, i / hidden);
      out[p * hidden + i] = scale * Math.sin(angle);
      if (i + 1 < hidden) out[p * hidden + i + 1] = scale * Math.cos(angle);
    }
  }
  return out;
}

/** Overwrites a fresh model's position embeddings with `init` (no-op for `normal`). */
export function initPositionEmbeddings(model: BertForPreTraining, init: PositionInit): void {
  if (init === 'normal') return;
  if (init !== 'sinusoidal') throw new RangeError(`positionInit: expected one of ${POSITION_INITS.join(', ')}, got ${JSON.stringify(init)}`);
  const v = model.bert.embeddings.positionEmbeddings; // [P, H]
  const [P, H] = v.shape as [number, number];
  const table = tf.tensor2d(sinusoidalTable(P, H, model.config.initializerRange), [P, H]);
  v.assign(table);
  table.dispose();
}
