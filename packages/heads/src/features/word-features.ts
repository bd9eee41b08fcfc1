// Frozen word features for the feature-based tagger (paper §5.3): each sentence's words are encoded with the
// token-classification feature conversion of common/token-features (words joined by spaces, exact offsets), the
// frozen encoder runs once, and each word gets the chosen layers' vector at its first sub-token (the paper's
// choice, as for fine-tuning) or the mean over its sub-tokens. Words cut off by `maxLength` get zeros.
import type { BertModel } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { encodeWords, type TokenFeature } from '../common/token-features';
import { forwardFeatures } from './forward-features';
import { selectionWidth, type LayerSelection } from './layer-selection';
import { MAX_SEQ_LENGTH } from '../common/defaults';

export interface WordFeatures {
  /** Feature width D. */
  width: number;
  /** Per sentence: row-major [words, D]. */
  sentences: Float32Array[];
  /** Words that had no token (truncated) and got zeros. */
  truncatedWords: number;
}

export interface WordFeatureOptions {
  layers: LayerSelection;
  pooling?: 'first' | 'mean';
  /** Default min(MAX_SEQ_LENGTH, max_position_embeddings). */
  maxLength?: number;
  batchSize?: number;
}

/** Word features of raw sentences (each a list of words). */
export async function wordFeatures(model: BertModel, tokenizer: BertTokenizer, sentences: readonly (readonly string[])[], options: WordFeatureOptions): Promise<WordFeatures> {
  const maxLength = options.maxLength ?? Math.min(MAX_SEQ_LENGTH, model.config.maxPositionEmbeddings);
  const encoded = sentences.map((words) => encodeWords(tokenizer, words, null, maxLength));
  return wordFeaturesOf(model, encoded, options, tokenizer.padTokenId);
}

/** Word features of already-converted token-classification features (a FineTuneTask's train/dev features). */
export async function wordFeaturesOf(model: BertModel, encoded: readonly Pick<TokenFeature, 'inputIds' | 'typeIds' | 'firstToken'>[], options: Omit<WordFeatureOptions, 'maxLength'>, padId = 0): Promise<WordFeatures> {
  const feats = await forwardFeatures(model, encoded.map((e) => ({ ids: e.inputIds, typeIds: e.typeIds })), [options.layers], options.batchSize ?? 16, padId);
  const d = selectionWidth(options.layers, model.config.hiddenSize);
  let truncatedWords = 0;
  const out = encoded.map((e, i) => {
    const src = feats[i][0]; // [T, D]
    const n = e.firstToken.length;
    const rows = new Float32Array(n * d);
    const sep = e.inputIds.length - 1; // the final [SEP]: truncation keeps it
    for (let w = 0; w < n; w++) {
      const t0 = e.firstToken[w];
      if (t0 < 0) {
        truncatedWords++;
        continue;
      }
      let t1 = t0 + 1;
      if (options.pooling === 'mean') {
        // a word's sub-tokens run up to the next word's first token (or the [SEP])
        let next = sep;
        for (let v = w + 1; v < n; v++) if (e.firstToken[v] >= 0) {
          next = e.firstToken[v];
          break;
        }
        t1 = Math.max(next, t0 + 1);
      }
      for (let t = t0; t < t1; t++) for (let j = 0; j < d; j++) rows[w * d + j] += src[t * d + j] / (t1 - t0);
    }
    return rows;
  });
  return { width: d, sentences: out, truncatedWords };
}
