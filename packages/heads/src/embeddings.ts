// Sentence / token embeddings for the apps (and the feature-based approach of paper §5.3): the [CLS] vector, the
// pooler output, or the mean over the attention mask, from the last layer or any hidden layer. On tfjs, or from
// the outputs of an external engine (ONNX Runtime: the last layer only), pooled here on the CPU.
import type { BertConfig, BertModel } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { HeadConfigError } from './common/errors';
import { padRows, type TaskBatch } from './common/batch';
import { isExternalForward, requireOutput, type ExternalForward, type ForwardOutput } from './common/external-forward';

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

/** Padded ids as plain arrays ([B, T], row-major), what `padRows` returns. */
export type PaddedBatch = Pick<TaskBatch, 'shape' | 'inputIds' | 'typeIds' | 'attentionMask'>;

/** `options.layer` as an index in [0, L], checked (and `pooled` only with a pooler and the last layer). */
function checkedLayer(config: BertConfig, hasPooler: boolean, options: EmbedOptions): number {
  const L = config.numHiddenLayers;
  const layer = options.layer === undefined ? L : options.layer < 0 ? L + 1 + options.layer : options.layer;
  if (!Number.isInteger(layer) || layer < 0 || layer > L) throw new HeadConfigError('layer', `an integer in [-${L + 1}, ${L}]`, String(options.layer));
  if (options.pooling === 'pooled' && (!hasPooler || layer !== L)) {
    throw new HeadConfigError('pooling', "'pooled' only with a pooler and the last layer", `${options.pooling} (pooler: ${hasPooler}, layer ${layer})`);
  }
  return layer;
}

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
  const layer = checkedLayer(model.config, model.pooler !== null, options);
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

/** Divides `v` by its L2 norm (at least 1e-12), in place. */
function l2Normalize(v: Float32Array | number[]): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.max(Math.sqrt(s), 1e-12);
  for (let i = 0; i < v.length; i++) v[i] /= n;
}

/**
 * cls / mean / pooled vectors of an external engine's outputs (`last_hidden_state` [B, T, H], `pooler_output`
 * [B, H]) over `attentionMask` [B, T], as embedBatch computes them on tfjs.
 */
export function poolHidden(out: Record<string, ForwardOutput>, attentionMask: ArrayLike<number>, options: EmbedOptions = {}): number[][] {
  const pooling = options.pooling ?? 'mean';
  let vectors: number[][];
  if (pooling === 'pooled') {
    const [b, h] = out.pooler_output.dims;
    vectors = Array.from({ length: b }, (_, i) => Array.from(out.pooler_output.data.subarray(i * h, (i + 1) * h)));
  } else {
    const { data, dims } = out.last_hidden_state;
    const [b, t, h] = dims;
    vectors = Array.from({ length: b }, (_, i) => {
      if (pooling === 'cls') return Array.from(data.subarray(i * t * h, (i * t + 1) * h));
      const v = new Array<number>(h).fill(0);
      let n = 0;
      for (let j = 0; j < t; j++) {
        const m = attentionMask[i * t + j];
        if (m === 0) continue;
        n += m;
        for (let k = 0, at = (i * t + j) * h; k < h; k++) v[k] += m * data[at + k];
      }
      return v.map((x) => x / Math.max(n, 1e-9));
    });
  }
  if (options.normalize) vectors.forEach(l2Normalize);
  return vectors;
}

/** One vector per row of padded ids: tfjs (embedBatch, any layer) or an external engine (the last layer). */
export async function embedPadded(model: BertModel | ExternalForward, batch: PaddedBatch, options: EmbedOptions = {}): Promise<number[][]> {
  if (isExternalForward(model)) {
    const L = model.config.numHiddenLayers;
    const hasPooler = model.outputNames.includes('pooler_output');
    if (checkedLayer(model.config, hasPooler, options) !== L) {
      throw new HeadConfigError('layer', `the last layer (-1 or ${L}) with an external engine such as ORT (--engine tfjs serves every layer)`, String(options.layer));
    }
    requireOutput(model, 'last_hidden_state', 'the encoder outputs');
    const out = await model.run(batch, batch.shape, options.pooling === 'pooled' ? ['pooler_output'] : ['last_hidden_state']);
    return poolHidden(out, batch.attentionMask, options);
  }
  const [b, t] = batch.shape as [number, number];
  const x = {
    inputIds: tf.tensor2d(batch.inputIds, [b, t], 'int32'),
    tokenTypeIds: tf.tensor2d(batch.typeIds, [b, t], 'int32'),
    attentionMask: tf.tensor2d(batch.attentionMask, [b, t], 'int32'),
  };
  try {
    return await embedBatch(model, x, options);
  } finally {
    tf.dispose([x.inputIds, x.tokenTypeIds, x.attentionMask]);
  }
}

/** The last hidden state [B, T, H] of padded ids, read back: tfjs or an external engine. */
export async function hiddenStates(model: BertModel | ExternalForward, batch: PaddedBatch): Promise<ForwardOutput> {
  if (isExternalForward(model)) {
    requireOutput(model, 'last_hidden_state', 'the encoder outputs');
    return (await model.run(batch, batch.shape, ['last_hidden_state'])).last_hidden_state;
  }
  const [b, t] = batch.shape as [number, number];
  const seq = tf.tidy(() =>
    model.forward({
      inputIds: tf.tensor2d(batch.inputIds, [b, t], 'int32'),
      tokenTypeIds: tf.tensor2d(batch.typeIds, [b, t], 'int32'),
      attentionMask: tf.tensor2d(batch.attentionMask, [b, t], 'int32'),
    }).sequenceOutput,
  ); // [B, T, H]
  try {
    return { data: (await seq.data()) as Float32Array, dims: seq.shape };
  } finally {
    seq.dispose();
  }
}

type EmbedTextsOptions = EmbedOptions & { maxLength?: number; batchSize?: number };

const configOf = (model: BertModel | ExternalForward): BertConfig => model.config;

/** Encodes `texts` into padded id batches of `batchSize`. */
function* textBatches(model: BertModel | ExternalForward, tokenizer: BertTokenizer, texts: ReadonlyArray<string | readonly [string, string]>, options: EmbedTextsOptions): Generator<PaddedBatch> {
  const bs = options.batchSize ?? 32;
  const maxLength = options.maxLength ?? configOf(model).maxPositionEmbeddings;
  for (let i = 0; i < texts.length; i += bs) {
    const rows = texts.slice(i, i + bs).map((t) => {
      const enc = typeof t === 'string' ? tokenizer.encode(t, null, { maxLength, truncation: true }) : tokenizer.encode(t[0], t[1], { maxLength, truncation: true });
      return [{ inputIds: enc.ids, typeIds: enc.typeIds }];
    });
    yield padRows(rows, tokenizer.padTokenId);
  }
}

/** Embeds texts (single sentences, or [A, B] pairs), `batchSize` at a time, on tfjs or an external engine. */
export async function embedTexts(model: BertModel | ExternalForward, tokenizer: BertTokenizer, texts: ReadonlyArray<string | readonly [string, string]>, options: EmbedTextsOptions = {}): Promise<number[][]> {
  const out: number[][] = [];
  for (const batch of textBatches(model, tokenizer, texts, options)) out.push(...(await embedPadded(model, batch, options)));
  return out;
}

/**
 * Per-token vectors of texts (HF `pipeline('feature-extraction')`: the last hidden state, [T][H] per text, T its
 * own token count, padding dropped), `batchSize` texts per forward pass, on tfjs or an external engine.
 */
export async function embedTokens(model: BertModel | ExternalForward, tokenizer: BertTokenizer, texts: ReadonlyArray<string | readonly [string, string]>, options: Omit<EmbedTextsOptions, 'pooling' | 'layer'> = {}): Promise<number[][][]> {
  const out: number[][][] = [];
  for (const batch of textBatches(model, tokenizer, texts, options)) {
    const { data, dims } = await hiddenStates(model, batch);
    const [b, t, h] = dims;
    for (let i = 0; i < b; i++) {
      let n = 0;
      while (n < t && batch.attentionMask[i * t + n] === 1) n++;
      out.push(
        Array.from({ length: n }, (_, j) => {
          const v = Array.from(data.subarray((i * t + j) * h, (i * t + j + 1) * h));
          if (options.normalize) l2Normalize(v);
          return v;
        }),
      );
    }
  }
  return out;
}
