// Sentence / token embeddings for the apps (and the feature-based approach of paper §5.3): the [CLS] vector, the
// pooler output, or the mean over the attention mask, from the last layer or any hidden layer.
import type { BertModel } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { HeadConfigError } from './common/errors';
import { padRows } from './common/batch';

export type Pooling = 'cls' | 'pooled' | 'mean';

export interface EmbedOptions {
  /** `mean` (default): average over non-padding tokens; `cls`: the [CLS] vector; `pooled`: tanh(dense([CLS])). */
  pooling?: Pooling;
  /** Hidden layer: 0 = embeddings, L = last; negative counts from the end (-1 = last). Default last. */
  layer?: number;
  /** Divide each vector by its L2 norm. Default false. */
  normalize?: boolean;
}

type EncodedBatch = { inputIds: tf.Tensor2D; tokenTypeIds?: tf.Tensor2D; attentionMask: tf.Tensor2D };

/** One vector per row of an encoded batch (ids [B, T], padded with attention mask 0), read with one awaited read. */
export async function embedBatch(model: BertModel, batch: EncodedBatch, options: EmbedOptions = {}): Promise<number[][]> {
  const vectors = embedBatchTensor(model, batch, options);
  try {
    const [b, h] = vectors.shape;
    const flat = await vectors.data();
    return Array.from({ length: b }, (_, i) => Array.from(flat.subarray(i * h, (i + 1) * h)));
  } finally {
    vectors.dispose();
  }
}

/** The pooled vectors [B, H] of a batch, on the backend (the caller reads and disposes them). */
function embedBatchTensor(model: BertModel, batch: EncodedBatch, options: EmbedOptions): tf.Tensor2D {
  const pooling = options.pooling ?? 'mean';
  const L = model.config.numHiddenLayers;
  const layer = options.layer === undefined ? L : options.layer < 0 ? L + 1 + options.layer : options.layer;
  if (!Number.isInteger(layer) || layer < 0 || layer > L) throw new HeadConfigError('layer', `an integer in [-${L + 1}, ${L}]`, String(options.layer));
  if (pooling === 'pooled' && (model.pooler === null || layer !== L)) {
    throw new HeadConfigError('pooling', "'pooled' only with a pooler and the last layer", `${pooling} (pooler: ${model.pooler !== null}, layer ${layer})`);
  }
  const vectors = tf.tidy(() => {
    const out = model.forward(batch, { outputHiddenStates: layer !== L });
    let v: tf.Tensor2D;
    if (pooling === 'pooled') v = out.pooledOutput as tf.Tensor2D;
    else {
      const h = layer === L ? out.sequenceOutput : out.hiddenStates![layer]; // [B, T, H]
      if (pooling === 'cls') v = tf.squeeze(tf.slice(h, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D; // [B, H]
      else {
        const m = tf.expandDims(tf.cast(batch.attentionMask, 'float32'), 2); // [B, T, 1]
        v = tf.div(tf.sum(tf.mul(h, m), 1), tf.maximum(tf.sum(m, 1), 1e-9)) as tf.Tensor2D; // [B, H]
      }
    }
    return options.normalize ? (tf.div(v, tf.maximum(tf.norm(v, 2, 1, true), 1e-12)) as tf.Tensor2D) : v;
  });
  return vectors;
}

type EmbedTextsOptions = EmbedOptions & { maxLength?: number; batchSize?: number };

/** Encodes `texts` into padded id batches of `batchSize` (the caller disposes each batch's tensors). */
function* textBatches(model: BertModel, tokenizer: BertTokenizer, texts: ReadonlyArray<string | readonly [string, string]>, options: EmbedTextsOptions): Generator<EncodedBatch> {
  const bs = options.batchSize ?? 32;
  const maxLength = options.maxLength ?? model.config.maxPositionEmbeddings;
  for (let i = 0; i < texts.length; i += bs) {
    const rows = texts.slice(i, i + bs).map((t) => {
      const enc = typeof t === 'string' ? tokenizer.encode(t, null, { maxLength, truncation: true }) : tokenizer.encode(t[0], t[1], { maxLength, truncation: true });
      return [{ inputIds: enc.ids, typeIds: enc.typeIds }];
    });
    const b = padRows(rows, tokenizer.padTokenId);
    yield {
      inputIds: tf.tensor2d(b.inputIds, b.shape as [number, number], 'int32'),
      tokenTypeIds: tf.tensor2d(b.typeIds, b.shape as [number, number], 'int32'),
      attentionMask: tf.tensor2d(b.attentionMask, b.shape as [number, number], 'int32'),
    };
  }
}

/** Embeds texts (single sentences, or [A, B] pairs), `batchSize` at a time. */
export async function embedTexts(model: BertModel, tokenizer: BertTokenizer, texts: ReadonlyArray<string | readonly [string, string]>, options: EmbedTextsOptions = {}): Promise<number[][]> {
  const out: number[][] = [];
  for (const batch of textBatches(model, tokenizer, texts, options)) {
    try {
      out.push(...(await embedBatch(model, batch, options)));
    } finally {
      tf.dispose([batch.inputIds, batch.tokenTypeIds!, batch.attentionMask]);
    }
  }
  return out;
}

/**
 * Per-token vectors of texts (HF `pipeline('feature-extraction')`: the last hidden state, [T][H] per text, T its
 * own token count, padding dropped), `batchSize` texts per forward pass.
 */
export async function embedTokens(model: BertModel, tokenizer: BertTokenizer, texts: ReadonlyArray<string | readonly [string, string]>, options: Omit<EmbedTextsOptions, 'pooling' | 'layer'> = {}): Promise<number[][][]> {
  const out: number[][][] = [];
  for (const batch of textBatches(model, tokenizer, texts, options)) {
    try {
      const seq = tf.tidy(() => {
        const s = model.forward(batch).sequenceOutput; // [B, T, H]
        return options.normalize ? tf.div(s, tf.maximum(tf.norm(s, 2, 2, true), 1e-12)) : s;
      });
      const [b, t, h] = seq.shape;
      const [flat, mask] = await Promise.all([seq.data(), batch.attentionMask.data()]).finally(() => seq.dispose());
      for (let i = 0; i < b; i++) {
        let n = 0;
        while (n < t && mask[i * t + n] === 1) n++;
        out.push(Array.from({ length: n }, (_, j) => Array.from(flat.subarray((i * t + j) * h, (i * t + j + 1) * h))));
      }
    } finally {
      tf.dispose([batch.inputIds, batch.tokenTypeIds!, batch.attentionMask]);
    }
  }
  return out;
}
