// The feature-based side of the paper's §5.3 comparison on any token-classification FineTuneTask (CoNLL-2003 NER,
// Brown POS): the same feature conversion, dev metric and baseline as `bert finetune` uses, but BERT stays frozen —
// word features (first sub-token) are extracted once from the chosen layers and a BiLSTM tagger is trained on
// them. Dev predictions are scored through the task's own `evaluate`, so both approaches print the same metric.
import type { BertModel } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import type { FineTuneTask } from '../common/finetune-task';
import type { FeatureLogits } from '../common/runner';
import type { TokenFeature } from '../common/token-features';
import { FeatureConfigError, selectionName, type LayerSelection } from './layer-selection';
import { predictTags, trainTagger, type TaggedFeatures, type TaggerTrainConfig } from './train-tagger';
import { wordFeaturesOf } from './word-features';

export interface FeatureTaggerOptions extends Omit<TaggerTrainConfig, 'numLabels'> {
  layers: LayerSelection;
  pooling?: 'first' | 'mean';
  /** Called after each epoch with the train loss and the dev scores. */
  onEpoch?: (e: FeatureTaggerEpoch) => void;
}

export interface FeatureTaggerEpoch {
  epoch: number;
  meanLoss: number;
  scores: Record<string, number>;
}

export interface FeatureTaggerResult {
  task: string;
  layers: number | string;
  mainMetric: string;
  epochs: FeatureTaggerEpoch[];
  /** Dev scores after the last epoch. */
  scores: Record<string, number>;
  baseline: Record<string, number> | null;
  /** The task's dev predictions (e.g. tag strings per sentence). */
  predictions: unknown;
  trainSentences: number;
  devSentences: number;
  featureWidth: number;
}

/** Word labels from a feature's first-sub-token labels (-1 where the word has no token: ignored in the loss). */
function wordLabels(f: TokenFeature): number[] {
  return f.firstToken.map((t) => (t < 0 ? -1 : f.labels[t]));
}

/** Per-word predicted tags as one-hot "logits" at each word's first sub-token, for the task's `evaluate`. */
function asLogits(f: TokenFeature, tags: readonly number[], k: number): FeatureLogits {
  const t = f.inputIds.length;
  const data = new Float32Array(t * k);
  f.firstToken.forEach((pos, w) => {
    if (pos >= 0) data[pos * k + tags[w]] = 1;
  });
  return { data, shape: [t, k] };
}

export async function featureTaggerExperiment(model: BertModel, tokenizer: BertTokenizer, task: FineTuneTask<TokenFeature>, options: FeatureTaggerOptions): Promise<FeatureTaggerResult> {
  if (task.kind !== 'token-classification' || task.labels === null) {
    throw new FeatureConfigError('task', 'a token-classification task with labels', `${task.name} (${task.kind})`);
  }
  const k = task.labels.length;
  const trainF = task.trainFeatures(tokenizer);
  const devF = task.devFeatures(tokenizer);
  const wf = { layers: options.layers, pooling: options.pooling, batchSize: 16 };
  const trainW = await wordFeaturesOf(model, trainF, wf, tokenizer.padTokenId);
  const devW = await wordFeaturesOf(model, devF, wf, tokenizer.padTokenId);
  const train: TaggedFeatures = { width: trainW.width, features: trainW.sentences, labels: trainF.map(wordLabels) };
  const dev = { width: devW.width, features: devW.sentences };
  const epochs: FeatureTaggerEpoch[] = [];
  let last: { scores: Record<string, number>; predictions: unknown } = { scores: {}, predictions: null };
  const tagger = await trainTagger(train, { ...options, numLabels: k }, async (e, t) => {
    const tags = await predictTags(t, dev);
    last = task.evaluate(devF, devF.map((f, i) => asLogits(f, tags[i], k)));
    const ep = { epoch: e.epoch, meanLoss: e.meanLoss, scores: last.scores };
    epochs.push(ep);
    options.onEpoch?.(ep);
  });
  tagger.dispose();
  return {
    task: task.name,
    layers: selectionName(options.layers),
    mainMetric: task.mainMetric,
    epochs,
    scores: last.scores,
    baseline: task.baseline(),
    predictions: last.predictions,
    trainSentences: trainF.length,
    devSentences: devF.length,
    featureWidth: trainW.width,
  };
}
