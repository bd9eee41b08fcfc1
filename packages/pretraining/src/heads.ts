// The two pre-training heads of BERT (paper §3.1; HF `BertPreTrainingHeads`, google-research/bert
// `run_pretraining.py` `get_masked_lm_output` / `get_next_sentence_output`), with HF's parameter names:
//   cls.predictions.transform.dense.{weight,bias}      dense H→H, then the hidden activation (GELU)
//   cls.predictions.transform.LayerNorm.{weight,bias}  LayerNorm
//   cls.predictions.bias                               output bias [V]; the decoder weight IS the word embeddings
//   cls.seq_relationship.{weight,bias}                 dense H→2 on the pooled [CLS] output
// Dense kernels are kept [in, out] (HF's `weight` is [out, in]; transposed at load/save), as in the encoder.
import { linear, matMul, type Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';

/** What the heads need from the encoder's config. */
export interface HeadsConfig {
  hiddenSize: number;
  vocabSize: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
  initializerRange: number;
}

/** One head parameter: HF name, variable, and whether HF stores it transposed ([out, in]). */
export interface HeadParam {
  name: string;
  variable: tf.Variable;
  transposed: boolean;
}

/** Activation as HF's ACT2FN: `gelu` is the exact erf form; `gelu_new` the tanh approximation of the TF code. */
export function applyActivation<T extends tf.Tensor>(name: HiddenAct, x: T): T {
  switch (name) {
    case 'gelu':
      return tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))))) as T; // x·Φ(x)
    case 'gelu_new':
    case 'gelu_pytorch_tanh': {
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner))) as T;
    }
    case 'relu':
      return tf.relu(x) as T;
    default:
      throw new RangeError(`hiddenAct: expected gelu, gelu_new, gelu_pytorch_tanh or relu, got ${JSON.stringify(name)}`);
  }
}

/** HF `nn.LayerNorm`: biased variance, eps inside the square root. */
function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, eps: number): T {
  const { mean, variance } = tf.moments(x, x.rank - 1, true); // [..., 1]
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))); // [..., H]
  return tf.add(tf.mul(normed, gamma), beta) as T;
}

function weight(shape: number[], std: number, rng: Rng | null): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (rng) for (let i = 0; i < n; i++) data[i] = rng.truncatedNormal(std);
  return tf.variable(tf.tensor(data, shape, 'float32'), true);
}

const constant = (shape: number[], v: number) => tf.variable(tf.fill(shape, v, 'float32'), true);

/** The masked-LM head: transform (dense + activation + LayerNorm), then the tied decoder + bias. */
export class MlmHead {
  readonly denseKernel: tf.Variable; // [H, H] (in, out)
  readonly denseBias: tf.Variable; // [H]
  readonly lnGamma: tf.Variable; // [H]
  readonly lnBeta: tf.Variable; // [H]
  readonly outputBias: tf.Variable; // [V]

  /** `rng` null allocates zeros (weights about to be loaded); else BERT's init (truncated normal, biases 0). */
  constructor(readonly config: HeadsConfig, rng: Rng | null) {
    const h = config.hiddenSize;
    this.denseKernel = weight([h, h], config.initializerRange, rng);
    this.denseBias = constant([h], 0);
    this.lnGamma = constant([h], 1);
    this.lnBeta = constant([h], 0);
    this.outputBias = constant([config.vocabSize], 0);
  }

  /**
   * @param hidden [N, H] encoder outputs at the positions to predict (gathered first: logits only where needed)
   * @param wordEmbeddings [V, H] the encoder's word embedding table (the tied decoder weight)
   * @returns logits [N, V]
   */
  apply(hidden: tf.Tensor2D, wordEmbeddings: tf.Tensor2D): tf.Tensor2D {
    const c = this.config;
    let h = linear(hidden, this.denseKernel as tf.Tensor2D, this.denseBias as tf.Tensor1D); // [N, H]
    h = applyActivation(c.hiddenAct, h); // [N, H]
    h = layerNorm(h, this.lnGamma, this.lnBeta, c.layerNormEps); // [N, H]
    const logits = matMul(h, tf.transpose(wordEmbeddings)); // [N, V]: decoder weight = word embeddings
    return tf.add(logits, this.outputBias) as tf.Tensor2D; // [N, V]
  }

  params(): HeadParam[] {
    return [
      { name: 'cls.predictions.bias', variable: this.outputBias, transposed: false },
      { name: 'cls.predictions.transform.dense.weight', variable: this.denseKernel, transposed: true },
      { name: 'cls.predictions.transform.dense.bias', variable: this.denseBias, transposed: false },
      { name: 'cls.predictions.transform.LayerNorm.weight', variable: this.lnGamma, transposed: false },
      { name: 'cls.predictions.transform.LayerNorm.bias', variable: this.lnBeta, transposed: false },
    ];
  }

  dispose(): void {
    for (const p of this.params()) p.variable.dispose();
  }
}

/** The next-sentence head: a dense layer H→2 on the pooled output (0 = IsNext, 1 = NotNext). */
export class NspHead {
  readonly kernel: tf.Variable; // [H, 2]
  readonly bias: tf.Variable; // [2]

  constructor(config: HeadsConfig, rng: Rng | null) {
    this.kernel = weight([config.hiddenSize, 2], config.initializerRange, rng);
    this.bias = constant([2], 0);
  }

  /** [B, H] pooled → [B, 2] logits */
  apply(pooled: tf.Tensor2D): tf.Tensor2D {
    return linear(pooled, this.kernel as tf.Tensor2D, this.bias as tf.Tensor1D);
  }

  params(): HeadParam[] {
    return [
      { name: 'cls.seq_relationship.weight', variable: this.kernel, transposed: true },
      { name: 'cls.seq_relationship.bias', variable: this.bias, transposed: false },
    ];
  }

  dispose(): void {
    for (const p of this.params()) p.variable.dispose();
  }
}
