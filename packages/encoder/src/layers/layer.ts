// One Transformer encoder layer (paper §3, HF `BertLayer`): self-attention block (`attention.self` +
// `attention.output`), then the feed-forward block (`intermediate` + `output`), each with residual + LayerNorm.
import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { AttentionOutput } from './attention-output.js';
import { record, type ForwardContext } from './forward-context.js';
import { Intermediate } from './intermediate.js';
import { Output } from './output.js';
import { prefixed, type Init, type NamedParams } from './parameters.js';
import { SelfAttention } from './self-attention.js';

export interface LayerOutput {
  hidden: tf.Tensor3D; // [B, T, H]
  probs: tf.Tensor4D; // [B, A, T, T]
}

export class Layer {
  readonly selfAttention: SelfAttention;
  readonly attentionOutput: AttentionOutput;
  readonly intermediate: Intermediate;
  readonly output: Output;

  constructor(config: BertConfig, init: Init) {
    this.selfAttention = new SelfAttention(config, init);
    this.attentionOutput = new AttentionOutput(config, init);
    this.intermediate = new Intermediate(config, init);
    this.output = new Output(config, init);
  }

  /**
   * @param hidden [B, T, H]
   * @param additiveMask [B, 1, 1, T]
   * @param name capture prefix, e.g. `layer.0`
   */
  forward(hidden: tf.Tensor3D, additiveMask: tf.Tensor4D, ctx: ForwardContext, name: string): LayerOutput {
    const { context, probs } = this.selfAttention.forward(hidden, additiveMask, ctx); // [B, T, H], [B, A, T, T]
    const attended = this.attentionOutput.forward(context, hidden, ctx); // [B, T, H]
    const inter = this.intermediate.forward(attended); // [B, T, I]
    const out = this.output.forward(inter, attended, ctx); // [B, T, H]
    record(ctx, `${name}.attention_probs`, probs);
    record(ctx, `${name}.attention_context`, context);
    record(ctx, `${name}.attention_output`, attended);
    record(ctx, `${name}.intermediate_output`, inter);
    record(ctx, `${name}.output`, out);
    return { hidden: out, probs };
  }

  params(): NamedParams {
    return [
      ...prefixed('attention.self', this.selfAttention.params()),
      ...prefixed('attention.output', this.attentionOutput.params()),
      ...prefixed('intermediate', this.intermediate.params()),
      ...prefixed('output', this.output.params()),
    ];
  }
}
