// First half of the position-wise feed-forward block (HF `BertIntermediate`): dense H -> I, then the
// configured activation (exact erf GELU for BERT).
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { activation } from './activations.js';
import { Dense } from './dense.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';

export class Intermediate {
  readonly dense: Dense;
  private readonly act: <T extends tf.Tensor>(x: T) => T;

  constructor(config: BertConfig, init: Init) {
    this.dense = new Dense(config.hiddenSize, config.intermediateSize, init);
    this.act = activation(config.hiddenAct);
  }

  /** [B, T, H] -> [B, T, I] */
  forward(hidden: tf.Tensor3D): tf.Tensor3D {
    return this.act(this.dense.apply(hidden)); // [B, T, I]
  }

  params(): NamedParams {
    return prefixed('dense', this.dense.params());
  }
}
