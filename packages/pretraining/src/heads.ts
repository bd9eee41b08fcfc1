// The two pre-training heads of BERT (paper §3.1; HF `BertPreTrainingHeads`, google-research/bert
// `run_pretraining.py` `get_masked_lm_output` / `get_next_sentence_output`), with HF's parameter names:
//   cls.predictions.transform.dense.{weight,bias}      dense H→H, then the hidden activation (GELU)
//   cls.predictions.transform.LayerNorm.{weight,bias}  LayerNorm
//   cls.predictions.bias                               output bias [V]; the decoder weight IS the word embeddings
//   cls.seq_relationship.{weight,bias}                 dense H→2 on the pooled [CLS] output
// Built from the encoder's layers (Dense keeps kernels [in, out]; HF's `weight` is [out, in], transposed at
// load/save), so the transform is exactly the encoder's dense / activation / LayerNorm arithmetic.
import { matMul, type Rng } from '@bertkit/backend';
import { Dense, LayerNorm, activation, type BertConfig, type Init } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';

/** What the heads need from the encoder's config. */
export type HeadsConfig = Pick<BertConfig, 'hiddenSize' | 'vocabSize' | 'layerNormEps' | 'hiddenAct' | 'initializerRange'>;

/** One head parameter: HF name, variable, and whether HF stores it transposed ([out, in]). */
export interface HeadParam {
  name: string;
  variable: tf.Variable;
  transposed: boolean;
}

/** BERT's init (truncated normal, std `initializerRange`) from `rng`, or zeros when weights are loaded next. */
function initFor(config: HeadsConfig, rng: Rng | null): Init {
  return rng ? { kind: 'truncated-normal', rng, std: config.initializerRange } : { kind: 'zeros' };
}

/** The masked-LM head: transform (dense + activation + LayerNorm), then the tied decoder + bias. */
export class MlmHead {
  readonly dense: Dense; // [H, H]
  readonly layerNorm: LayerNorm; // [H]
  readonly outputBias: tf.Variable; // [V]
  private readonly act: <T extends tf.Tensor>(x: T) => T;

  /** `rng` null allocates zeros (weights about to be loaded); else BERT's init (truncated normal, biases 0). */
  constructor(config: HeadsConfig, rng: Rng | null) {
    this.dense = new Dense(config.hiddenSize, config.hiddenSize, initFor(config, rng));
    this.layerNorm = new LayerNorm(config.hiddenSize, config.layerNormEps);
    this.act = activation(config.hiddenAct);
    this.outputBias = tf.tidy(() => tf.variable(tf.zeros([config.vocabSize]), true));
  }

  /**
   * @param hidden [N, H] encoder outputs at the positions to predict (gathered first: logits only where needed)
   * @param wordEmbeddings [V, H] the encoder's word embedding table (the tied decoder weight)
   * @returns logits [N, V]
   */
  apply(hidden: tf.Tensor2D, wordEmbeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.layerNorm.apply(this.act(this.dense.apply(hidden))); // [N, H]
      const logits = matMul(h, tf.transpose(wordEmbeddings)); // [N, V]: decoder weight = word embeddings
      return tf.add(logits, this.outputBias) as tf.Tensor2D; // [N, V]
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

/** The next-sentence head: a dense layer H→2 on the pooled output (0 = IsNext, 1 = NotNext). */
export class NspHead {
  readonly dense: Dense; // [H, 2]

  constructor(config: HeadsConfig, rng: Rng | null) {
    this.dense = new Dense(config.hiddenSize, 2, initFor(config, rng));
  }

  /** [B, H] pooled → [B, 2] logits */
  apply(pooled: tf.Tensor2D): tf.Tensor2D {
    return this.dense.apply(pooled);
  }

  params(): HeadParam[] {
    return this.dense.params().map(([n, p]) => ({ name: `cls.seq_relationship.${n}`, ...p }));
  }

  dispose(): void {
    for (const p of this.params()) p.variable.dispose();
  }
}
