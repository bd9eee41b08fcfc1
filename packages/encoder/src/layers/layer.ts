// One Transformer encoder layer (paper §3, HF `BertLayer`): the attention block (`attention.self` +
// `attention.output`), then the feed-forward block (`intermediate` + `output`), each closed by residual + LayerNorm.
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { Attention } from './attention.js';
import { Intermediate, Output } from './feed-forward.js';
import { prefixed, record, type ForwardContext, type Init, type NamedParams } from './modules.js';

export interface LayerOutput {
  hidden: tf.Tensor3D; // [B, T, H]
  probs: tf.Tensor4D | null; // [B, A, T, T]; null on the fused path, which never materialises them
}

export class Layer {
  readonly attention: Attention;
  readonly intermediate: Intermediate;
  readonly output: Output;

  constructor(config: BertConfig, init: Init) {
    this.attention = new Attention(config, init);
    this.intermediate = new Intermediate(config, init);
    this.output = new Output(config, init);
  }

  /**
   * @param hidden [B, T, H]
   * @param additiveMask [B, 1, 1 | T, T]
   * @param name capture prefix, e.g. `layer.0`
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext, name: string): LayerOutput {
    const attn = this.attention.forward(hidden, additiveMask, ctx); // context, hidden [B, T, H]; probs [B, A, T, T]
    const inter = this.intermediate.forward(attn.hidden, ctx); // [B, T, I]
    const out = this.output.forward(inter, attn.hidden, ctx); // [B, T, H]
    if (attn.probs !== null) record(ctx, `${name}.attention_probs`, attn.probs);
    record(ctx, `${name}.attention_context`, attn.context);
    record(ctx, `${name}.attention_output`, attn.hidden);
    record(ctx, `${name}.intermediate_output`, inter);
    record(ctx, `${name}.output`, out);
    return { hidden: out, probs: attn.probs };
  }

  params(): NamedParams {
    return [
      ...prefixed('attention', this.attention.params()),
      ...prefixed('intermediate', this.intermediate.params()),
      ...prefixed('output', this.output.params()),
    ];
  }
}
