// The position-wise feed-forward block of a layer (paper §3, Vaswani et al. 2017 §3.3). HF splits it into two
// children of `BertLayer`, which keep their checkpoint names here: `intermediate` (dense H -> I + activation) and
// `output` (dense I -> H, dropout, residual, LayerNorm).
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import type { HiddenAct } from '../config.js';
import { Dense, ResidualProjection, activation, fusedActivation, prefixed, type ForwardContext, type Init, type NamedParams } from './modules.js';

/** HF `BertIntermediate`: dense H -> I, then the configured activation (exact erf GELU for BERT). */
export class Intermediate {
  readonly dense: Dense;
  private readonly act: <T extends tf.Tensor>(x: T) => T;
  private readonly actName: HiddenAct;

  constructor(config: BertConfig, init: Init) {
    this.dense = new Dense(config.hiddenSize, config.intermediateSize, init);
    this.act = activation(config.hiddenAct);
    this.actName = config.hiddenAct;
  }

  /** [B, T, H] -> [B, T, I] */
  forward(hidden: tf.Tensor3D, ctx?: ForwardContext): tf.Tensor3D {
    if (ctx?.fused) return this.dense.applyFused(hidden, fusedActivation(this.actName)); // [B, T, I], one dispatch
    return this.act(this.dense.apply(hidden)); // [B, T, I]
  }

  params(): NamedParams {
    return prefixed('dense', this.dense.params());
  }
}

/**
 * HF `BertOutput`: dense I -> H, dropout, + the attention block's output, LayerNorm.
 * forward(intermediate [B, T, I], input [B, T, H], ctx) -> [B, T, H].
 */
export class Output extends ResidualProjection {
  constructor(config: BertConfig, init: Init) {
    super(config, config.intermediateSize, init);
  }
}
