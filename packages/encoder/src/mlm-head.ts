// The masked-LM head of BERT (paper §3.1; HF `BertLMPredictionHead`, google-research/bert `get_masked_lm_output`),
// the one implementation used for pre-training (trainable), fill-mask and the server (loaded from a checkpoint):
//   cls.predictions.transform.dense.{weight,bias}      dense H→H, then the hidden activation (GELU)
//   cls.predictions.transform.LayerNorm.{weight,bias}  LayerNorm
//   cls.predictions.bias                               output bias [V]; the decoder weight IS the word embeddings
// Built from the encoder's layers (Dense keeps kernels [in, out]; HF's `weight` is [out, in], transposed at
// load/save), so the transform is exactly the encoder's dense / activation / LayerNorm arithmetic.
import { addLayerNorm, fusedKernelsAvailable, fusedLinear, matMul, type Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from './config.js';
import type { BertInputs, BertModel, ForwardOptions } from './bert-model.js';
import { Dense, LayerNorm, activation, fusedActivation, type Init } from './layers/modules.js';
import { assignHeadParams, type HeadParam } from './head-params.js';
import type { RawTensor } from './checkpoint/index.js';

/** What the MLM head needs from the encoder's config. */
export type MlmHeadConfig = Pick<BertConfig, 'hiddenSize' | 'vocabSize' | 'layerNormEps' | 'hiddenAct' | 'initializerRange'>;

/** BERT's init (truncated normal, std `initializerRange`) from `rng`, or zeros when weights are loaded next. */
export function headInit(config: Pick<BertConfig, 'initializerRange'>, rng: Rng | null): Init {
  return rng ? { kind: 'truncated-normal', rng, std: config.initializerRange } : { kind: 'zeros' };
}

/** The masked-LM head: transform (dense + activation + LayerNorm), then the tied decoder + bias. */
export class MlmHead {
  readonly dense: Dense; // [H, H]
  readonly layerNorm: LayerNorm; // [H]
  readonly outputBias: tf.Variable; // [V]
  private readonly act: <T extends tf.Tensor>(x: T) => T;
  private readonly actName: MlmHeadConfig['hiddenAct'];

  /** `rng` null allocates zeros (weights about to be loaded); else BERT's init (truncated normal, biases 0). */
  constructor(config: MlmHeadConfig, rng: Rng | null) {
    this.dense = new Dense(config.hiddenSize, config.hiddenSize, headInit(config, rng));
    this.layerNorm = new LayerNorm(config.hiddenSize, config.layerNormEps);
    this.act = activation(config.hiddenAct);
    this.actName = config.hiddenAct;
    this.outputBias = tf.tidy(() => tf.variable(tf.zeros([config.vocabSize]), true));
  }

  /**
   * The head of a checkpoint (`cls.predictions.*` of BertForPreTraining / BertForMaskedLM). Missing weights are an
   * error naming the tensor unless `rng` is given (then freshly initialised, as HF does for a BertModel checkpoint).
   */
  static fromTensors(config: MlmHeadConfig, tensors: ReadonlyMap<string, RawTensor>, options: { rng?: Rng } = {}): MlmHead {
    const head = new MlmHead(config, options.rng ?? null);
    try {
      assignHeadParams(head.params(), tensors, { allowMissing: options.rng !== undefined });
    } catch (e) {
      head.dispose();
      throw e;
    }
    return head;
  }

  /**
   * @param hidden [N, H] encoder outputs at the positions to predict (gathered first: logits only where needed)
   * @param wordEmbeddings [V, H] the encoder's word embedding table (the tied decoder weight)
   * @returns logits [N, V]
   */
  apply(hidden: tf.Tensor2D, wordEmbeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      if (fusedKernelsAvailable()) {
        // WebGPU: dense + activation and the LayerNorm as fused kernels (with fused backward passes), and the
        // tied decoder reading the [V, H] table transposed in place, its bias in the epilogue (one dispatch; two for
        // its backward pass, the table's gradient written [V, H] with the bias's)
        const ln = this.layerNorm;
        const t = this.dense.applyFused(hidden, fusedActivation(this.actName)); // [N, H]
        const h = addLayerNorm(t, null, ln.gamma as tf.Tensor1D, ln.beta as tf.Tensor1D, ln.eps); // [N, H]
        return fusedLinear(h, wordEmbeddings, this.outputBias as tf.Tensor1D, { transposedKernel: true }); // [N, V]
      }
      const h = this.layerNorm.apply(this.act(this.dense.apply(hidden))); // [N, H]
      // h · Eᵀ + b as one product [h, 1] · [Eᵀ; b] (decoder weight = word embeddings E): the bias is added inside
      // the product, and its gradient (a column sum of dLogits) comes out of the weight gradient, which saves two
      // passes over the [N, V] logits (at 32 × 128 on wasm, ~6 % of a pre-training step).
      const ones = tf.ones([h.shape[0], 1]); // [N, 1]
      const hb = tf.concat([h, ones], 1); // [N, H+1]
      const wb = tf.concat([tf.transpose(wordEmbeddings), tf.reshape(this.outputBias, [1, -1])], 0); // [H+1, V]
      return matMul(hb, wb) as tf.Tensor2D; // [N, V]
    });
  }

  params(): HeadParam[] {
    return [
      { name: 'cls.predictions.bias', variable: this.outputBias, transposed: false },
      ...this.dense.params().map(([n, p]) => ({ name: `cls.predictions.transform.dense.${n}`, ...p })),
      ...this.layerNorm.params().map(([n, p]) => ({ name: `cls.predictions.transform.LayerNorm.${n}`, ...p })),
    ];
  }

  dispose(): void {
    for (const p of this.params()) p.variable.dispose();
  }
}

/** The top-k of the MLM distribution at chosen positions, still on the backend (the caller reads and disposes). */
export interface MaskedTopK {
  values: tf.Tensor2D; // [N, k] softmax probabilities, descending
  indices: tf.Tensor2D; // [N, k] token ids
}

/** Options of {@link maskedTopK}. */
export interface MaskedTopKOptions extends Pick<ForwardOptions, 'causal'> {
  /**
   * Rank only these token ids (HF fill-mask `targets`): their probabilities under the softmax over the whole
   * vocabulary (not renormalised), at most `targets.length` of them.
   */
  targets?: ArrayLike<number>;
}

/**
 * Runs the encoder (dropout off; `causal` for a left-to-right model) and the MLM head at `flatPositions` (b·T + t
 * of [B, T] inputs) and keeps the `k` most likely tokens of each: fill-mask for the library, the CLI, the server
 * and pre-training's progress samples.
 */
export function maskedTopK(model: BertModel, head: MlmHead, inputs: BertInputs, flatPositions: ArrayLike<number>, k: number, options: MaskedTopKOptions = {}): MaskedTopK {
  const targets = options.targets;
  const kk = Math.min(k, targets ? targets.length : model.config.vocabSize);
  return tf.tidy(() => {
    const out = model.forward(inputs, { causal: options.causal }); // dropout off
    const h = tf.reshape(out.sequenceOutput, [-1, model.config.hiddenSize]) as tf.Tensor2D; // [B·T, H]
    const picked = tf.gather(h, tf.tensor1d(Int32Array.from(flatPositions), 'int32')) as tf.Tensor2D; // [N, H]
    const wordEmb = model.parameters().get('embeddings.word_embeddings.weight') as tf.Tensor2D; // [V, H]
    const probs = tf.softmax(head.apply(picked, wordEmb)); // [N, V]
    if (!targets) {
      const top = tf.topk(probs, kk); // [N, k]
      return { values: top.values as tf.Tensor2D, indices: top.indices as tf.Tensor2D };
    }
    const ids = tf.tensor1d(Int32Array.from(targets), 'int32'); // [K]
    const top = tf.topk(tf.gather(probs, ids, 1), kk); // [N, K] → [N, k]
    return { values: top.values as tf.Tensor2D, indices: tf.gather(ids, top.indices) as tf.Tensor as tf.Tensor2D }; // ids [N, k]
  });
}
