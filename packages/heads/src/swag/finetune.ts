// SWAG as a fine-tuning task (paper §4.4): 4 × `[CLS] sentence [SEP] ending [SEP]` scored by one vector
// (`classifier` [H, 1]) and a softmax over the 4; accuracy.
import type { BertTokenizer } from '@bertkit/tokenizer';
import { padRows, type TaskBatch } from '../common/batch';
import type { FineTuneTask } from '../common/finetune-task';
import { argmaxRows } from '../common/sequence-features';
import { swagChoices, type SwagExample } from './reader';
import { MAX_SEQ_LENGTH } from '../common/defaults';

export interface SwagFeature {
  rows: { inputIds: number[]; typeIds: number[] }[];
  label: number;
}

export function swagFeatures(tokenizer: BertTokenizer, examples: SwagExample[], maxLength = MAX_SEQ_LENGTH): SwagFeature[] {
  return examples.map((ex) => ({
    rows: swagChoices(ex).map(([a, b]) => {
      const enc = tokenizer.encode(a, b, { maxLength, truncation: 'longest_first' });
      return { inputIds: enc.ids, typeIds: enc.typeIds };
    }),
    label: ex.label ?? -1,
  }));
}

export function collateSwag(features: SwagFeature[], padId: number): TaskBatch {
  return { ...padRows(features.map((f) => f.rows), padId, true), labels: Int32Array.from(features, (f) => f.label) };
}

export function swagFineTuneTask(train: SwagExample[], dev: SwagExample[], maxLength = MAX_SEQ_LENGTH): FineTuneTask<SwagFeature> {
  const gold = dev.map((x) => x.label ?? -1);
  const accuracy = (p: number[]) => p.filter((x, i) => x === gold[i]).length / Math.max(1, gold.length);
  return {
    name: 'swag',
    kind: 'multiple-choice',
    labels: null,
    mainMetric: 'accuracy',
    defaultEpochs: 3,
    trainFeatures: (tok) => swagFeatures(tok, train, maxLength),
    devFeatures: (tok) => swagFeatures(tok, dev, maxLength),
    collate: collateSwag,
    evaluate: (_fs, logits) => {
      const preds = argmaxRows(logits);
      return { scores: { accuracy: accuracy(preds) }, predictions: preds };
    },
    baseline: () => {
      const counts = [0, 0, 0, 0];
      for (const x of train) if (x.label !== undefined) counts[x.label]++;
      const major = counts.indexOf(Math.max(...counts));
      return { accuracy: accuracy(gold.map(() => major)) };
    },
  };
}
