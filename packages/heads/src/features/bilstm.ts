// The frozen-feature tagger of paper §5.3: the contextual embeddings of a frozen BERT feed "a randomly
// initialized two-layer 768-dimensional BiLSTM before the classification layer". Written with tfjs-core ops and
// @bertkit/backend's matMul/linear (whose gradients work on every backend, wasm included) rather than
// tf.basicLSTMCell, so the whole recurrence differentiates with the registered gradients only.
//
// LSTM cell (Hochreiter & Schmidhuber; gate order i, f, g, o as torch.nn.LSTM):
//   [i f g o] = x·W_ih + h·W_hh + b,  c' = σ(f)·c + σ(i)·tanh(g),  h' = σ(o)·tanh(c')
// The forget-gate bias starts at 1 (Jozefowicz et al. 2015; Keras `unit_forget_bias`).
import * as tf from '@tensorflow/tfjs-core';
import { type Rng, crossEntropy, gatherRows, linear, matMul } from '@bertkit/backend';
import { FeatureConfigError } from './layer-selection';

const IGNORE = -100; // torch CrossEntropyLoss ignore_index

export interface BiLstmTaggerConfig {
  /** Input feature width D. */
  inputSize: number;
  /** Hidden size per direction (the paper: 768). */
  hiddenSize: number;
  /** Stacked BiLSTM layers (the paper: 2). */
  numLayers: number;
  numLabels: number;
}

export function validateTaggerConfig(c: BiLstmTaggerConfig): BiLstmTaggerConfig {
  for (const k of ['inputSize', 'hiddenSize', 'numLayers', 'numLabels'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new FeatureConfigError(`tagger ${k}`, 'a positive integer', `${c[k]}`);
  }
  return { ...c };
}

/** A padded batch of word-feature sequences. */
export interface TaggerBatch {
  features: tf.Tensor3D; // [B, T, D]
  /** Real length of each sequence (≤ T). */
  lengths: number[];
}

export class BiLstmTagger {
  readonly config: BiLstmTaggerConfig;
  /** Trainable parameters by name (`lstm.0.fw.w_ih`, …, `classifier.weight`, `classifier.bias`). */
  readonly params = new Map<string, tf.Variable>();

  constructor(config: BiLstmTaggerConfig, rng: Rng) {
    this.config = validateTaggerConfig(config);
    const { inputSize, hiddenSize: h, numLayers, numLabels } = this.config;
    // torch.nn.LSTM / nn.Linear default init: U(-1/sqrt(fan), 1/sqrt(fan)), drawn from the seeded RNG.
    const uniform = (shape: number[], bound: number) =>
      tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.random() * 2 - 1) * bound), shape);
    const add = (name: string, t: tf.Tensor) => {
      this.params.set(name, tf.variable(t, true));
      t.dispose(); // tf.variable keeps its own reference to the data
    };
    const k = 1 / Math.sqrt(h);
    for (let l = 0; l < numLayers; l++) {
      const inDim = l === 0 ? inputSize : 2 * h;
      for (const dir of ['fw', 'bw']) {
        add(`lstm.${l}.${dir}.w_ih`, uniform([inDim, 4 * h], k)); // [in, 4H]
        add(`lstm.${l}.${dir}.w_hh`, uniform([h, 4 * h], k)); // [H, 4H]
        const b = new Float32Array(4 * h);
        for (let j = 0; j < 4 * h; j++) b[j] = j >= h && j < 2 * h ? 1 : (rng.random() * 2 - 1) * k;
        add(`lstm.${l}.${dir}.bias`, tf.tensor1d(b)); // [4H]
      }
    }
    const kc = 1 / Math.sqrt(2 * h);
    add('classifier.weight', uniform([2 * h, numLabels], kc)); // [2H, K]
    add('classifier.bias', uniform([numLabels], kc)); // [K]
  }

  private p(name: string): tf.Variable {
    return this.params.get(name) as tf.Variable;
  }

  /** One direction over [B, T, in] (already in reading order). Returns [B, T, H]. */
  private run(x: tf.Tensor3D, prefix: string): tf.Tensor3D {
    const [b, t] = x.shape;
    const h = this.config.hiddenSize;
    const xw = linear(x, this.p(`${prefix}.w_ih`) as tf.Tensor2D, this.p(`${prefix}.bias`) as tf.Tensor1D); // [B, T, 4H]
    const steps = tf.unstack(xw, 1) as tf.Tensor2D[]; // T × [B, 4H]
    let hPrev: tf.Tensor2D = tf.zeros([b, h]); // [B, H]
    let cPrev: tf.Tensor2D = tf.zeros([b, h]); // [B, H]
    const outs: tf.Tensor2D[] = [];
    for (let s = 0; s < t; s++) {
      const gates = tf.add(steps[s], matMul(hPrev, this.p(`${prefix}.w_hh`) as tf.Tensor2D)); // [B, 4H]
      const [i, f, g, o] = tf.split(gates, 4, 1) as tf.Tensor2D[]; // 4 × [B, H]
      cPrev = tf.add(tf.mul(tf.sigmoid(f), cPrev), tf.mul(tf.sigmoid(i), tf.tanh(g))); // [B, H]
      hPrev = tf.mul(tf.sigmoid(o), tf.tanh(cPrev)); // [B, H]
      outs.push(hPrev);
    }
    return tf.stack(outs, 1) as tf.Tensor3D; // [B, T, H]
  }

  /**
   * Tag logits. Padding sits after each sequence's end, so the forward direction never reads it before a real
   * word; for the backward direction each sequence is reversed within its length (padding stays in place), run,
   * and reversed back, so that the backward state of word j depends on words j..len-1 only.
   * @returns [B, T, K]
   */
  forward(batch: TaggerBatch): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t] = batch.features.shape;
      const rev = new Int32Array(b * t);
      for (let i = 0; i < b; i++) for (let j = 0; j < t; j++) rev[i * t + j] = i * t + (j < batch.lengths[i] ? batch.lengths[i] - 1 - j : j);
      const revIdx = tf.tensor1d(rev, 'int32'); // [B·T]
      const reverse = (x: tf.Tensor3D) => tf.reshape(gatherRows(tf.reshape(x, [b * t, -1]) as tf.Tensor2D, revIdx), [b, t, -1]) as tf.Tensor3D;
      let x = batch.features; // [B, T, D]
      for (let l = 0; l < this.config.numLayers; l++) {
        const fw = this.run(x, `lstm.${l}.fw`); // [B, T, H]
        const bw = reverse(this.run(reverse(x), `lstm.${l}.bw`)); // [B, T, H]
        x = tf.concat([fw, bw], 2); // [B, T, 2H]
      }
      return linear(x, this.p('classifier.weight') as tf.Tensor2D, this.p('classifier.bias') as tf.Tensor1D); // [B, T, K]
    });
  }

  /**
   * Mean cross-entropy over real (non-padding) words; labels < 0 are ignored too.
   * @param labels [B][≤T] label ids
   */
  loss(batch: TaggerBatch, labels: readonly (readonly number[])[]): tf.Scalar {
    return tf.tidy(() => {
      const [b, t] = batch.features.shape;
      const ids = new Int32Array(b * t).fill(IGNORE); // padding and unlabelled words add nothing
      for (let i = 0; i < b; i++) for (let j = 0; j < batch.lengths[i]; j++) if (labels[i][j] >= 0) ids[i * t + j] = labels[i][j];
      return crossEntropy(tf.reshape(this.forward(batch), [b * t, this.config.numLabels]) as tf.Tensor2D, tf.tensor1d(ids, 'int32'), IGNORE); // mean over words
    });
  }

  /** Arg-max tag per real word (an awaited read). */
  async predict(batch: TaggerBatch): Promise<number[][]> {
    const am = tf.tidy(() => tf.argMax(this.forward(batch), 2)); // [B, T]
    try {
      const data = await am.data();
      const t = batch.features.shape[1];
      return batch.lengths.map((len, i) => Array.from(data.subarray(i * t, i * t + len)));
    } finally {
      am.dispose();
    }
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
