// BERT's input representation (paper §3.2, HF `BertEmbeddings`): word + learned absolute position + token-type
// (segment) embeddings, summed, then LayerNorm and dropout.
import { embeddingsLayerNorm, gatherRows } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config.js';
import { LayerNorm, dropout, dropoutDraw, prefixed, weightVariable, type ForwardContext, type Init, type NamedParams } from './modules.js';

export class Embeddings {
  readonly wordEmbeddings: tf.Variable; // [V, H]
  readonly positionEmbeddings: tf.Variable; // [P, H]
  readonly tokenTypeEmbeddings: tf.Variable; // [TV, H]
  readonly layerNorm: LayerNorm;

  constructor(
    private readonly config: BertConfig,
    init: Init,
  ) {
    const h = config.hiddenSize;
    this.wordEmbeddings = weightVariable([config.vocabSize, h], init);
    this.positionEmbeddings = weightVariable([config.maxPositionEmbeddings, h], init);
    this.tokenTypeEmbeddings = weightVariable([config.typeVocabSize, h], init);
    this.layerNorm = new LayerNorm(h, config.layerNormEps);
  }

  /**
   * @param inputIds int32 [B, T]
   * @param tokenTypeIds int32 [B, T]
   * @returns [B, T, H]
   */
  forward(inputIds: tf.Tensor2D, tokenTypeIds: tf.Tensor2D, ctx: ForwardContext): tf.Tensor3D {
    const t = inputIds.shape[1];
    const h = this.config.hiddenSize;
    if (ctx.fused) {
      // gathers, sum, LayerNorm and (training) dropout in one dispatch
      const tables = {
        word: this.wordEmbeddings as tf.Tensor2D,
        position: this.positionEmbeddings as tf.Tensor2D,
        tokenType: this.tokenTypeEmbeddings as tf.Tensor2D,
      };
      const ln = this.layerNorm;
      const drop = dropoutDraw(this.config.hiddenDropoutProb, ctx);
      return embeddingsLayerNorm(inputIds, tokenTypeIds, null, tables, ln.gamma as tf.Tensor1D, ln.beta as tf.Tensor1D, ln.eps, drop); // [B, T, H]
    }
    const words = gatherRows(this.wordEmbeddings as tf.Tensor2D, inputIds) as tf.Tensor3D; // [B, T, H]
    const types = gatherRows(this.tokenTypeEmbeddings as tf.Tensor2D, tokenTypeIds) as tf.Tensor3D; // [B, T, H]
    // Positions are 0..T-1 (HF's `position_ids` buffer), so the lookup is a slice of the table.
    const positions = tf.slice(this.positionEmbeddings, [0, 0], [t, h]); // [T, H]
    const sum = tf.add(tf.add(words, types), positions) as tf.Tensor3D; // [B, T, H], HF's summation order
    return dropout(this.layerNorm.apply(sum), this.config.hiddenDropoutProb, ctx); // [B, T, H]
  }

  params(): NamedParams {
    return [
      ['word_embeddings.weight', { variable: this.wordEmbeddings, transposed: false }],
      ['position_embeddings.weight', { variable: this.positionEmbeddings, transposed: false }],
      ['token_type_embeddings.weight', { variable: this.tokenTypeEmbeddings, transposed: false }],
      ...prefixed('LayerNorm', this.layerNorm.params()),
    ];
  }
}
