// A fine-tuning task as the runner and the CLI see it: which head, its labels, how examples become features and
// batches, and how dev logits become the task's official scores. Each task folder builds one (glue/finetune.ts,
// squad/finetune.ts, ...); the CLI keeps the name → task table (style: no registries inside libraries).
import type { BertTokenizer } from '@bertkit/tokenizer';
import type { TaskBatch } from './batch';
import type { FeatureLogits } from './runner';
import type { HeadKind, ProblemType } from './task-model';

export interface FineTuneTask<F> {
  name: string;
  kind: HeadKind;
  /** Class names (id2label) for classification heads; null for regression, QA and multiple choice. */
  labels: string[] | null;
  problemType?: ProblemType;
  /** The score `--lr-grid` maximises (a key of `evaluate`'s result). */
  mainMetric: string;
  /** Paper defaults: 3 epochs (GLUE etc.), 2 (SQuAD). */
  defaultEpochs: number;
  trainFeatures(tokenizer: BertTokenizer): F[];
  devFeatures(tokenizer: BertTokenizer): F[];
  collate(features: F[], padId: number): TaskBatch;
  /** Official scores of the dev features' logits (and the predictions themselves, for files). */
  evaluate(features: F[], logits: FeatureLogits[]): { scores: Record<string, number>; predictions: unknown };
  /** Score of always predicting the majority / most frequent class, for honest comparison (null: not defined). */
  baseline(): Record<string, number> | null;
}
