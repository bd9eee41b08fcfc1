// The post-LN sub-layer tail BERT uses twice (paper §3, Vaswani et al. 2017 §3.1): dense in -> H, dropout, add the
// sub-layer's input, LayerNorm. HF names the two uses `BertSelfOutput` (attention-output.ts, in = H) and
// `BertOutput` (output.ts, in = I); both keep their own file and checkpoint names (`dense`, `LayerNorm`).
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { Dense } from './dense.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { LayerNorm } from './layer-norm.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';

export class ResidualProjection {
  readonly dense: Dense;
  readonly layerNorm: LayerNorm;

  constructor(
    private readonly config: BertConfig,
    inSize: number,
    init: Init,
  ) {
    this.dense = new Dense(inSize, config.hiddenSize, init);
    this.layerNorm = new LayerNorm(config.hiddenSize, config.layerNormEps);
  }

  /**
   * @param x [B, T, in] the sub-layer's result (attention context or intermediate activations)
   * @param input [B, T, H] the sub-layer's input (residual)
   * @returns [B, T, H]
   */
  forward(x: tf.Tensor3D, input: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
    const projected = dropout(this.dense.apply(x), this.config.hiddenDropoutProb, ctx); // [B, T, H]
    return this.layerNorm.apply(tf.add(projected, input) as tf.Tensor3D); // [B, T, H]
  }

  params(): NamedParams {
    return [...prefixed('dense', this.dense.params()), ...prefixed('LayerNorm', this.layerNorm.params())];
  }
}
