// The paper's model sizes (Devlin et al. 2018, §3: BERT-Base L12 H768 A12, BERT-Large L24 H1024 A16) and the
// compact BERTs of Turc et al. 2019 ("Well-Read Students Learn Better", google-research/bert README), all with the
// uncased 30522-word vocabulary and I = 4H, as full validated configs: spread one and override fields.
import { bertConfig, type BertConfig } from './config.js';

function preset(numHiddenLayers: number, hiddenSize: number, numAttentionHeads: number): Readonly<BertConfig> {
  return Object.freeze(
    bertConfig({ vocabSize: 30522, numHiddenLayers, hiddenSize, numAttentionHeads, intermediateSize: 4 * hiddenSize }),
  );
}

export type PresetName = 'tiny' | 'mini' | 'small' | 'medium' | 'base' | 'large';

export const presets: Readonly<Record<PresetName, Readonly<BertConfig>>> = Object.freeze({
  tiny: preset(2, 128, 2),
  mini: preset(4, 256, 4),
  small: preset(4, 512, 8),
  medium: preset(8, 512, 8),
  base: preset(12, 768, 12),
  large: preset(24, 1024, 16),
});
