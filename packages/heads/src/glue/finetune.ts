// GLUE as a fine-tuning task (paper §4.1): [CLS] pooled → classifier, max length 128; STS-B is a regression with
// one output (MSE); scores from glueScores (HF `glue` metric keys).
import type { BertTokenizer } from '@bertkit/tokenizer';
import type { FineTuneTask } from '../common/finetune-task';
import { argmaxRows, collateSequences, encodeSequence, type SequenceFeature } from '../common/sequence-features';
import { HeadConfigError } from '../common/errors';
import { glueScores } from './evaluate';
import type { GlueExample } from './reader';
import type { GlueTask } from './tasks';
import { MAX_SEQ_LENGTH } from '../common/defaults';

export function glueFeatures(tokenizer: BertTokenizer, task: GlueTask, examples: GlueExample[], maxLength = MAX_SEQ_LENGTH): SequenceFeature[] {
  return examples.map((ex) => {
    const regression = task.labels === null;
    const t = ex.target ?? -1;
    return encodeSequence(tokenizer, ex.textA, task.pair ? ex.textB : undefined, regression ? -1 : t, maxLength, regression ? t : undefined);
  });
}

/** Class id / score predicted from each feature's logits. */
export function gluePredictions(task: GlueTask, logits: { data: Float32Array }[]): number[] {
  return task.labels === null ? logits.map((l) => l.data[0]) : argmaxRows(logits);
}

export function glueFineTuneTask(task: GlueTask, train: GlueExample[], dev: GlueExample[], maxLength = MAX_SEQ_LENGTH): FineTuneTask<SequenceFeature> {
  const regression = task.labels === null;
  for (const [split, xs] of [['train', train], ['dev', dev]] as const) {
    if (xs.some((x) => x.target === undefined)) throw new HeadConfigError(`${task.name} ${split}`, 'labelled examples', 'an example without a label (test split?)');
  }
  const targets = dev.map((x) => x.target as number);
  return {
    name: `glue:${task.name}`,
    kind: 'sequence-classification',
    labels: task.labels,
    problemType: regression ? 'regression' : 'single_label_classification',
    mainMetric: task.metrics[0],
    defaultEpochs: 3,
    trainFeatures: (tok) => glueFeatures(tok, task, train, maxLength),
    devFeatures: (tok) => glueFeatures(tok, task, dev, maxLength),
    collate: (fs, pad) => collateSequences(fs, pad, regression),
    evaluate: (_fs, logits) => {
      const preds = gluePredictions(task, logits);
      return { scores: glueScores(task, preds, targets), predictions: preds };
    },
    baseline: () => {
      if (regression) {
        const mean = train.reduce((a, x) => a + (x.target as number), 0) / train.length;
        return { mean_prediction_mse: targets.reduce((a, y) => a + (y - mean) ** 2, 0) / targets.length };
      }
      const counts = new Map<number, number>();
      for (const x of train) counts.set(x.target as number, (counts.get(x.target as number) ?? 0) + 1);
      const major = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
      return glueScores(task, targets.map(() => major), targets);
    },
  };
}
