// Fill-mask (HF `pipeline('fill-mask')`): the masked-LM head of a BertForPreTraining / BertForMaskedLM
// checkpoint (`cls.predictions.*`: transform dense → activation → LayerNorm, decoder tied to the word
// embeddings, output bias) scores the vocabulary at every [MASK]; top-k tokens with softmax probabilities.
// The head is the same computation as @bertkit/pretraining's MlmHead; this inference-only copy loads from a
// checkpoint's tensors so that heads does not depend on the pre-training package.
import { activation, type BertModel, type RawTensor, toFloat32 } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { HeadConfigError, TaskInputError } from './common/errors';

type HeadTensor = 'transform.dense.weight' | 'transform.dense.bias' | 'transform.LayerNorm.weight' | 'transform.LayerNorm.bias' | 'bias';

/** The masked-LM head's weights as constants (inference only). */
export class MaskedLmHead {
  private readonly kernel: tf.Tensor2D; // [H, H] (in, out)
  private readonly bias: tf.Tensor1D; // [H]
  private readonly gamma: tf.Tensor1D; // [H]
  private readonly beta: tf.Tensor1D; // [H]
  private readonly outputBias: tf.Tensor1D; // [V]

  /** From a checkpoint's normalised tensors (loadModel's `tensors`): `cls.predictions.*`. */
  constructor(
    private readonly model: BertModel,
    tensors: ReadonlyMap<string, RawTensor>,
  ) {
    const h = model.config.hiddenSize;
    const v = model.config.vocabSize;
    const get = (n: HeadTensor, shape: number[]) => {
      const t = tensors.get(`cls.predictions.${n}`);
      if (!t) throw new HeadConfigError(`cls.predictions.${n}`, 'a masked-LM head in the checkpoint (BertForPreTraining / BertForMaskedLM)', 'none');
      if (t.shape.join() !== shape.join()) throw new HeadConfigError(`cls.predictions.${n}`, `shape [${shape}]`, `[${t.shape}]`);
      return toFloat32(t);
    };
    this.kernel = tf.tidy(() => tf.transpose(tf.tensor2d(get('transform.dense.weight', [h, h]), [h, h]))); // HF [out, in] → [in, out]
    this.bias = tf.tensor1d(get('transform.dense.bias', [h]));
    this.gamma = tf.tensor1d(get('transform.LayerNorm.weight', [h]));
    this.beta = tf.tensor1d(get('transform.LayerNorm.bias', [h]));
    this.outputBias = tf.tensor1d(get('bias', [v]));
  }

  /** hidden [N, H] → vocabulary logits [N, V] (HF BertLMPredictionHead). */
  logits(hidden: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const c = this.model.config;
      const wordEmbeddings = this.model.parameters().get('embeddings.word_embeddings.weight') as tf.Tensor2D; // [V, H]
      let x = tf.add(tf.matMul(hidden, this.kernel), this.bias) as tf.Tensor2D; // [N, H]
      x = activation(c.hiddenAct)(x);
      const { mean, variance } = tf.moments(x, 1, true); // [N, 1]
      x = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, c.layerNormEps))), this.gamma), this.beta) as tf.Tensor2D; // [N, H]
      return tf.add(tf.matMul(x, wordEmbeddings, false, true), this.outputBias) as tf.Tensor2D; // [N, V]
    });
  }

  dispose(): void {
    tf.dispose([this.kernel, this.bias, this.gamma, this.beta, this.outputBias]);
  }
}

export interface FillMaskCandidate {
  tokenId: number;
  token: string;
  /** Softmax probability over the vocabulary at this position. */
  score: number;
  /** The input text with this [MASK] replaced by the token (HF `sequence`). */
  sequence: string;
}

export interface MaskFill {
  /** Token index of the [MASK] in the encoded input. */
  position: number;
  candidates: FillMaskCandidate[];
}

interface FillMaskRun {
  ids: number[];
  positions: number[];
  k: number;
  values: tf.Tensor2D; // [M, k]
  indices: tf.Tensor2D; // [M, k]
}

/** Encodes `text` and runs the model up to the top-k at each [MASK]; the caller reads and disposes the tensors. */
function runFillMask(model: BertModel, head: MaskedLmHead, tokenizer: BertTokenizer, text: string, options: { topK?: number; maxLength?: number }): FillMaskRun {
  const enc = tokenizer.encode(text, null, { maxLength: options.maxLength ?? model.config.maxPositionEmbeddings, truncation: true });
  const mask = tokenizer.maskTokenId;
  const positions = enc.ids.map((id, i) => (id === mask ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) throw new TaskInputError('text', `at least one ${tokenizer.idToToken(mask)} token`, JSON.stringify(text));
  const k = Math.min(options.topK ?? 5, model.config.vocabSize);
  const [values, indices] = tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d([enc.ids], undefined, 'int32'), tokenTypeIds: tf.tensor2d([enc.typeIds], undefined, 'int32') });
    const hidden = tf.gather(tf.squeeze(out.sequenceOutput, [0]), tf.tensor1d(positions, 'int32')) as tf.Tensor2D; // [M, H]
    const top = tf.topk(tf.softmax(head.logits(hidden)), k); // [M, V] → [M, k]
    return [top.values, top.indices];
  }) as [tf.Tensor2D, tf.Tensor2D];
  return { ids: enc.ids, positions, k, values, indices };
}

/** Turns the read top-k scores and ids ([M·k] row-major) into candidates with HF's `sequence` text. */
function candidates(run: FillMaskRun, tokenizer: BertTokenizer, values: ArrayLike<number>, indices: ArrayLike<number>): MaskFill[] {
  return run.positions.map((p, m) => ({
    position: p,
    candidates: Array.from({ length: run.k }, (_, j): FillMaskCandidate => {
      const id = indices[m * run.k + j];
      const ids = run.ids.slice();
      ids[p] = id;
      return { tokenId: id, token: tokenizer.idToToken(id) ?? '', score: values[m * run.k + j], sequence: tokenizer.decode(ids, { skipSpecialTokens: true }) };
    }),
  }));
}

/**
 * Top-k tokens for each [MASK] of `text` (no mask: a TaskInputError naming the mask token). Reads the result
 * synchronously (cpu, wasm, tfjs-node); on WebGPU use `fillMaskAsync`.
 */
export function fillMask(model: BertModel, head: MaskedLmHead, tokenizer: BertTokenizer, text: string, options: { topK?: number; maxLength?: number } = {}): MaskFill[] {
  const run = runFillMask(model, head, tokenizer, text, options);
  const values = run.values.dataSync();
  const indices = run.indices.dataSync();
  tf.dispose([run.values, run.indices]);
  return candidates(run, tokenizer, values, indices);
}

/** `fillMask` with awaited reads: the form for WebGPU (a synchronous read fails in Node and stalls a browser). */
export async function fillMaskAsync(model: BertModel, head: MaskedLmHead, tokenizer: BertTokenizer, text: string, options: { topK?: number; maxLength?: number } = {}): Promise<MaskFill[]> {
  const run = runFillMask(model, head, tokenizer, text, options);
  try {
    const [values, indices] = await Promise.all([run.values.data(), run.indices.data()]);
    return candidates(run, tokenizer, values, indices);
  } finally {
    tf.dispose([run.values, run.indices]);
  }
}
