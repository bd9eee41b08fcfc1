// Second half of the feed-forward block (HF `BertOutput`): dense I -> H, dropout, residual, LayerNorm.
// forward(intermediate [B, T, I], input [B, T, H] the attention block's output) -> [B, T, H].
import type { BertConfig } from '../config.js';
import type { Init } from './parameters.js';
import { ResidualProjection } from './residual-projection.js';

export class Output extends ResidualProjection {
  constructor(config: BertConfig, init: Init) {
    super(config, config.intermediateSize, init);
  }
}
