// Output projection of the attention block (HF `BertSelfOutput`): dense H -> H, dropout, residual, LayerNorm
// (post-LN, Vaswani et al. 2017 §3.1 / paper §3). forward(context [B, T, H], input [B, T, H]) -> [B, T, H].
import type { BertConfig } from '../config.js';
import type { Init } from './parameters.js';
import { ResidualProjection } from './residual-projection.js';

export class AttentionOutput extends ResidualProjection {
  constructor(config: BertConfig, init: Init) {
    super(config, config.hiddenSize, init);
  }
}
