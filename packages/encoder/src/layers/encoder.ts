// The stack of L identical layers (HF `BertEncoder`), collecting hidden states and attention probabilities
// when asked.
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import type { ForwardContext } from './forward-context.js';
import { Layer } from './layer.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';

export interface EncoderOutput {
  last: tf.Tensor3D; // [B, T, H]
  hiddenStates: tf.Tensor3D[]; // L × [B, T, H] (each layer's output; the embeddings are added by the model)
  attentions: tf.Tensor4D[]; // L × [B, A, T, T]
}

export class Encoder {
  readonly layers: Layer[];

  constructor(config: BertConfig, init: Init) {
    this.layers = Array.from({ length: config.numHiddenLayers }, () => new Layer(config, init));
  }

  /**
   * @param hidden [B, T, H] embeddings output
   * @param additiveMask [B, 1, 1, T]
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): EncoderOutput {
    const hiddenStates: tf.Tensor3D[] = [];
    const attentions: tf.Tensor4D[] = [];
    let h = hidden;
    this.layers.forEach((layer, i) => {
      const out = layer.forward(h, additiveMask, ctx, `layer.${i}`);
      h = out.hidden; // [B, T, H]
      hiddenStates.push(h);
      attentions.push(out.probs);
    });
    return { last: h, hiddenStates, attentions };
  }

  params(): NamedParams {
    return this.layers.flatMap((layer, i) => prefixed(`layer.${i}`, layer.params()));
  }
}
