// Output projection of the attention block (HF `BertSelfOutput`): dense, dropout, residual, LayerNorm
// (post-LN, Vaswani et al. 2017 §3.1 / paper §3).
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { Dense } from './dense.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { LayerNorm } from './layer-norm.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';

export class AttentionOutput {
  readonly dense: Dense;
  readonly layerNorm: LayerNorm;

  constructor(
    private readonly config: BertConfig,
    init: Init,
  ) {
    this.dense = new Dense(config.hiddenSize, config.hiddenSize, init);
    this.layerNorm = new LayerNorm(config.hiddenSize, config.layerNormEps);
  }

  /**
   * @param context [B, T, H] attention context (heads merged)
   * @param input [B, T, H] the layer's input (residual)
   * @returns [B, T, H]
   */
  forward(context: tf.Tensor3D, input: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
    const projected = dropout(this.dense.apply(context), this.config.hiddenDropoutProb, ctx); // [B, T, H]
    return this.layerNorm.apply(tf.add(projected, input) as tf.Tensor3D); // [B, T, H]
  }

  params(): NamedParams {
    return [...prefixed('dense', this.dense.params()), ...prefixed('LayerNorm', this.layerNorm.params())];
  }
}
