// SQuAD v1.1 / v2.0 as a fine-tuning task (paper §4.2/4.3): start/end logits from `qa_outputs`, 2 epochs,
// n-best over all windows (postprocessQaAll), scored by the official script's logic (evaluateSquadOfficial).
import type { FineTuneTask } from '../common/finetune-task';
import { evaluateSquadOfficial } from './evaluate';
import { collateSquad, squadFeatures, squadWindows, type SquadFeature, type SquadFeatureOptions } from './features';
import { postprocessQaAll, type QaPostprocessOptions } from './postprocess';
import type { SquadDataset } from './reader';

export function squadFineTuneTask(train: SquadDataset, dev: SquadDataset, options: SquadFeatureOptions & QaPostprocessOptions = {}): FineTuneTask<SquadFeature> {
  const v2 = options.version2WithNegative ?? dev.version !== '1.1';
  return {
    name: 'squad',
    kind: 'question-answering',
    labels: null,
    mainMetric: 'f1',
    defaultEpochs: 2,
    trainFeatures: (tok) => squadFeatures(tok, train.examples, options),
    devFeatures: (tok) => squadFeatures(tok, dev.examples, options),
    collate: collateSquad,
    evaluate: (fs, logits) => {
      const files = postprocessQaAll(squadWindows(dev.examples, fs, logits), { ...options, version2WithNegative: v2 });
      const r = evaluateSquadOfficial(dev, files.predictions, v2 ? { naProbs: new Map(Object.entries(files.nullOdds)) } : {});
      return { scores: r.scores as unknown as Record<string, number>, predictions: files };
    },
    baseline: () => {
      // Always answering "" scores the NoAns share on v2.0 and 0 on v1.1.
      const empty = Object.fromEntries(dev.examples.map((e) => [e.id, '']));
      return evaluateSquadOfficial(dev, empty).scores as unknown as Record<string, number>;
    },
  };
}
