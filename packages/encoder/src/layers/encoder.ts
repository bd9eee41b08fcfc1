// The stack of L identical layers (HF `BertEncoder`, checkpoint `encoder.layer.{i}.*`), collecting every layer's
// output and attention probabilities.
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { checkpointedLayer } from './checkpoint-layer.js';
import { Layer } from './layer.js';
import { prefixed, type ForwardContext, type Init, type NamedParams } from './modules.js';

export interface EncoderOutput {
  last: tf.Tensor3D; // [B, T, H]
  hiddenStates: tf.Tensor3D[]; // L × [B, T, H] (each layer's output; the embeddings are added by the model)
  attentions: tf.Tensor4D[]; // L × [B, A, T, T] (empty on the fused path)
}

export class Encoder {
  /** HF's `nn.ModuleList` named `layer` (singular), so `encoder.layer[0]` is `encoder.layer.0` in a checkpoint. */
  readonly layer: Layer[];

  constructor(config: BertConfig, init: Init) {
    this.layer = Array.from({ length: config.numHiddenLayers }, () => new Layer(config, init));
  }

  /**
   * @param hidden [B, T, H] embeddings output
   * @param additiveMask [B, 1, 1 | T, T]
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext): EncoderOutput {
    const hiddenStates: tf.Tensor3D[] = [];
    const attentions: tf.Tensor4D[] = [];
    let h = hidden;
    this.layer.forEach((layer, i) => {
      if (ctx.checkpoint && ctx.training && ctx.capture === null) {
        h = checkpointedLayer(layer, h, additiveMask, ctx); // [B, T, H]
        hiddenStates.push(h);
        return;
      }
      const out = layer.forward(h, additiveMask, ctx, `layer.${i}`);
      h = out.hidden; // [B, T, H]
      hiddenStates.push(h);
      if (out.probs !== null) attentions.push(out.probs);
    });
    return { last: h, hiddenStates, attentions };
  }

  params(): NamedParams {
    return this.layer.flatMap((layer, i) => prefixed(`layer.${i}`, layer.params()));
  }
}
