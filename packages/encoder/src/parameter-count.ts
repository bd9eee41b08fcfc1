// Parameter count of a BertModel, computed from the config alone: the same number PyTorch reports with
// `sum(p.numel() for p in BertModel(config).parameters())` (BERT-Base with pooler: 109,482,240).
import type { BertConfig } from './config.js';

export interface CountOptions {
  /** Include the pooler's dense layer (H·H + H). Default true, as HF's `BertModel(add_pooling_layer=True)`. */
  pooler?: boolean;
}

export function countParameters(config: BertConfig, options: CountOptions = {}): number {
  const { vocabSize: v, hiddenSize: h, intermediateSize: i, maxPositionEmbeddings: p, typeVocabSize: t } = config;
  const layerNorm = 2 * h;
  const embeddings = (v + p + t) * h + layerNorm;
  const attention = 4 * (h * h + h) + layerNorm; // query, key, value, output dense + LayerNorm
  const feedForward = h * i + i + i * h + h + layerNorm; // intermediate dense, output dense + LayerNorm
  const pooler = (options.pooler ?? true) ? h * h + h : 0;
  return embeddings + config.numHiddenLayers * (attention + feedForward) + pooler;
}
