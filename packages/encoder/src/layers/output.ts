// Second half of the feed-forward block (HF `BertOutput`): dense I -> H, dropout, residual, LayerNorm.
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { Dense } from './dense.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { LayerNorm } from './layer-norm.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';

export class Output {
  readonly dense: Dense;
  readonly layerNorm: LayerNorm;

  constructor(
    private readonly config: BertConfig,
    init: Init,
  ) {
    this.dense = new Dense(config.intermediateSize, config.hiddenSize, init);
    this.layerNorm = new LayerNorm(config.hiddenSize, config.layerNormEps);
  }

  /**
   * @param intermediate [B, T, I]
   * @param input [B, T, H] the attention block's output (residual)
   * @returns [B, T, H]
   */
  forward(intermediate: tf.Tensor3D, input: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
    const projected = dropout(this.dense.apply(intermediate), this.config.hiddenDropoutProb, ctx); // [B, T, H]
    return this.layerNorm.apply(tf.add(projected, input) as tf.Tensor3D); // [B, T, H]
  }

  params(): NamedParams {
    return [...prefixed('dense', this.dense.params()), ...prefixed('LayerNorm', this.layerNorm.params())];
  }
}
