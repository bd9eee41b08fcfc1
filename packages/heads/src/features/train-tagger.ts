// Training and evaluation of the frozen-feature BiLSTM tagger (paper §5.3) on precomputed word features:
// @bertkit/training's loop (AdamW, linear warm-up/decay, clipping), shuffled mini-batches from the seeded RNG,
// mean cross-entropy over words. BERT itself is not touched: features are computed once by `wordFeatures`.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import { AdamW, linearWarmupDecay, train, warmupSteps } from '@bertkit/training';
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
  /** Global-norm gradient clipping; null disables. Default 1.0 (as every bertkit training run). */
  clipNorm?: number | null;
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

/**
 * Trains a new tagger through @bertkit/training's loop (AdamW, warm-up + linear decay, global-norm clipping, awaited
 * reads); `onEpoch` sees each epoch's mean loss and the tagger (e.g. to score dev). The caller disposes the tagger.
 */
export async function trainTagger(
  data: TaggedFeatures,
  config: TaggerTrainConfig,
  onEpoch?: (e: TaggerEpoch, tagger: BiLstmTagger) => void | Promise<void>,
): Promise<BiLstmTagger> {
  checkData(data, 'train');
  if (data.features.length === 0) throw new FeatureConfigError('train', 'at least one sentence', 'none');
  const epochs = config.epochs ?? 3;
  const batchSize = config.batchSize ?? 32;
  const lr = config.lr ?? 1e-3;
  if (!Number.isInteger(epochs) || epochs < 1) throw new FeatureConfigError('epochs', 'a positive integer', `${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new FeatureConfigError('batchSize', 'a positive integer', `${batchSize}`);
  const rng = new Rng(config.seed ?? 0);
  const tagger = new BiLstmTagger({ inputSize: data.width, hiddenSize: config.hiddenSize ?? 768, numLayers: config.numLayers ?? 2, numLabels: config.numLabels }, rng);
  const opt = new AdamW({ weightDecay: config.weightDecay ?? 0 });
  const perEpoch = Math.ceil(data.features.length / batchSize);
  const steps = epochs * perEpoch;
  // Batches of sentence indices, one seeded shuffle per epoch (drawn when the epoch starts).
  function* batches(): Generator<number[]> {
    for (let e = 0; e < epochs; e++) {
      const order = rng.shuffle(Array.from(data.features.keys()));
      for (let s = 0; s < order.length; s += batchSize) yield order.slice(s, s + batchSize);
    }
  }
  let sum = 0;
  try {
    await train<number[]>({
      params: tagger.params,
      lossFn: (idx) => {
        const batch = taggerBatch(data, idx);
        try {
          return { loss: tagger.loss(batch, idx.map((i) => data.labels[i])) };
        } finally {
          batch.features.dispose();
        }
      },
      data: batches(),
      optimizer: opt,
      schedule: linearWarmupDecay({ peakLr: lr, warmupSteps: warmupSteps(steps, config.warmupProportion ?? 0.1), totalSteps: steps }),
      steps,
      clipNorm: config.clipNorm === undefined ? 1.0 : config.clipNorm,
      onEvent: async (e) => {
        if (e.type !== 'step') return;
        sum += e.loss;
        if (e.step % perEpoch === 0) {
          await onEpoch?.({ epoch: e.step / perEpoch, meanLoss: sum / perEpoch }, tagger);
          sum = 0;
        }
      },
    });
  } catch (e) {
    tagger.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
  return tagger;
}

/** Word-level predictions for every sentence, in batches. */
export async function predictTags(tagger: BiLstmTagger, data: Pick<TaggedFeatures, 'width' | 'features'>, batchSize = 64): Promise<number[][]> {
  const out: number[][] = [];
  for (let s = 0; s < data.features.length; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, data.features.length - s) }, (_, i) => s + i);
    const batch = taggerBatch({ ...data, labels: [] }, idx);
    try {
      out.push(...(await tagger.predict(batch)));
    } finally {
      batch.features.dispose();
    }
  }
  return out;
}
