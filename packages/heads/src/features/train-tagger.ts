// Training and evaluation of the frozen-feature BiLSTM tagger (paper §5.3) on precomputed word features:
// AdamW (from @bertkit/training) with a linear warm-up/decay schedule, shuffled mini-batches from the seeded RNG,
// mean cross-entropy over words. BERT itself is not touched: features are computed once by `wordFeatures`.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import { AdamW, linearWarmupDecay } from '@bertkit/training';
import { BiLstmTagger, type TaggerBatch } from './bilstm';
import { FeatureConfigError } from './layer-selection';

export interface TaggedFeatures {
  width: number;
  /** Per sentence: row-major [words, width]. */
  features: Float32Array[];
  /** Per sentence: one label id per word. */
  labels: number[][];
}

export interface TaggerTrainConfig {
  numLabels: number;
  /** Hidden size per direction. Default 768 (the paper's). */
  hiddenSize?: number;
  /** Default 2 (the paper's). */
  numLayers?: number;
  epochs?: number;
  lr?: number;
  batchSize?: number;
  weightDecay?: number;
  /** Fraction of steps with linear warm-up. Default 0.1. */
  warmupProportion?: number;
  seed?: number;
}

export interface TaggerEpoch {
  epoch: number;
  meanLoss: number;
}

/** A padded batch of sentences `idx` (lengths kept; padding rows are zeros). Caller disposes `features`. */
export function taggerBatch(data: TaggedFeatures, idx: readonly number[]): TaggerBatch {
  const lengths = idx.map((i) => data.features[i].length / data.width);
  const t = Math.max(1, ...lengths);
  const buf = new Float32Array(idx.length * t * data.width);
  idx.forEach((i, r) => buf.set(data.features[i], r * t * data.width));
  return { features: tf.tensor3d(buf, [idx.length, t, data.width]), lengths };
}

function checkData(data: TaggedFeatures, field: string): void {
  if (data.features.length !== data.labels.length) {
    throw new FeatureConfigError(`${field}.labels`, `one label list per sentence (${data.features.length})`, `${data.labels.length}`);
  }
  data.features.forEach((f, i) => {
    if (f.length !== data.labels[i].length * data.width) {
      throw new FeatureConfigError(`${field}.features[${i}]`, `${data.labels[i].length} words × ${data.width} values`, `${f.length} values`);
    }
  });
}

/** Trains a new tagger; `onEpoch` sees each epoch's mean loss. The caller disposes the returned tagger. */
export function trainTagger(train: TaggedFeatures, config: TaggerTrainConfig, onEpoch?: (e: TaggerEpoch, tagger: BiLstmTagger) => void): BiLstmTagger {
  checkData(train, 'train');
  if (train.features.length === 0) throw new FeatureConfigError('train', 'at least one sentence', 'none');
  const epochs = config.epochs ?? 3;
  const batchSize = config.batchSize ?? 32;
  const lr = config.lr ?? 1e-3;
  if (!Number.isInteger(epochs) || epochs < 1) throw new FeatureConfigError('epochs', 'a positive integer', `${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new FeatureConfigError('batchSize', 'a positive integer', `${batchSize}`);
  const rng = new Rng(config.seed ?? 0);
  const tagger = new BiLstmTagger({ inputSize: train.width, hiddenSize: config.hiddenSize ?? 768, numLayers: config.numLayers ?? 2, numLabels: config.numLabels }, rng);
  const opt = new AdamW({ weightDecay: config.weightDecay ?? 0 });
  const perEpoch = Math.ceil(train.features.length / batchSize);
  const totalSteps = epochs * perEpoch;
  const schedule = linearWarmupDecay({ peakLr: lr, warmupSteps: Math.floor((config.warmupProportion ?? 0.1) * totalSteps), totalSteps });
  const names = new Map([...tagger.params].map(([n, v]) => [v.name, n]));
  const vars = [...tagger.params.values()];
  let step = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = rng.shuffle(Array.from(train.features.keys()));
      let sum = 0;
      for (let s = 0; s < order.length; s += batchSize) {
        const idx = order.slice(s, s + batchSize);
        const batch = taggerBatch(train, idx);
        const { value, grads } = tf.variableGrads(() => tagger.loss(batch, idx.map((i) => train.labels[i])), vars);
        sum += value.dataSync()[0];
        const named = new Map(Object.entries(grads).map(([k, g]) => [names.get(k) as string, g]));
        opt.step(tagger.params, named, schedule(step++));
        value.dispose();
        tf.dispose(Object.values(grads));
        batch.features.dispose();
      }
      onEpoch?.({ epoch, meanLoss: sum / perEpoch }, tagger);
    }
  } catch (e) {
    tagger.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
  return tagger;
}

/** Word-level predictions for every sentence, in batches. */
export function predictTags(tagger: BiLstmTagger, data: Pick<TaggedFeatures, 'width' | 'features'>, batchSize = 64): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < data.features.length; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, data.features.length - s) }, (_, i) => s + i);
    const batch = taggerBatch({ ...data, labels: [] }, idx);
    out.push(...tagger.predict(batch));
    batch.features.dispose();
  }
  return out;
}
