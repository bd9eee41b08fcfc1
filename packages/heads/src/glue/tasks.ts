// The GLUE task table: where each original TSV keeps its text and label columns, the label list (in the order
// google-research/bert run_classifier.py and HF `glue_processors` use, so label ids match their checkpoints),
// single sentence vs pair, and the metrics of the GLUE paper / HF `glue` metric.

export type GlueTaskName = 'cola' | 'sst2' | 'mrpc' | 'stsb' | 'qqp' | 'mnli' | 'mnli-mm' | 'qnli' | 'rte' | 'wnli';
export type GlueSplit = 'train' | 'dev' | 'test';
export type GlueMetricName = 'accuracy' | 'f1' | 'matthews_correlation' | 'pearson' | 'spearmanr';

/** Where one split's TSV keeps its fields (column indices; negative = from the end, -1 = last column). */
export interface GlueLayout {
  /** File name inside the task folder of the GLUE download. */
  file: string;
  /** First line is a header (CoLA train/dev have none). */
  header: boolean;
  /** Column count when there is no header to take it from. */
  columns?: number;
  /** Rows may carry more fields than `columns` (the STS Benchmark originals append source fields). */
  extraColumns?: boolean;
  /** Column of the row's id (`index`, QQP `id`); absent: the 0-based row number is the id. */
  id?: number;
  textA: number;
  textB?: number;
  /** Label / score column; absent for test splits (labels withheld). */
  label?: number;
}

export interface GlueTask {
  name: GlueTaskName;
  /** Class labels as written in the files, in id order; null for the STS-B regression task. */
  labels: string[] | null;
  pair: boolean;
  /** Metrics reported for the task (HF `glue` metric); the first is the one the BERT paper's Table 1 shows. */
  metrics: GlueMetricName[];
  splits: Record<GlueSplit, GlueLayout>;
  /** GLUE submission file name for the test predictions (the leaderboard's naming). */
  submissionFile: string;
}

const mnli = (dev: string, test: string): Record<GlueSplit, GlueLayout> => ({
  // train.tsv: 12 columns (… sentence1 sentence2 label1 gold_label); dev: 16 (… label1..label5 gold_label); test: 10.
  train: { file: 'train.tsv', header: true, id: 0, textA: 8, textB: 9, label: -1 },
  dev: { file: dev, header: true, id: 0, textA: 8, textB: 9, label: -1 },
  test: { file: test, header: true, id: 0, textA: 8, textB: 9 },
});
const indexPair = (): Record<GlueSplit, GlueLayout> => ({
  train: { file: 'train.tsv', header: true, id: 0, textA: 1, textB: 2, label: -1 },
  dev: { file: 'dev.tsv', header: true, id: 0, textA: 1, textB: 2, label: -1 },
  test: { file: 'test.tsv', header: true, id: 0, textA: 1, textB: 2 },
});

export const GLUE_TASKS: Readonly<Record<GlueTaskName, GlueTask>> = {
  cola: {
    name: 'cola', labels: ['0', '1'], pair: false, metrics: ['matthews_correlation'], submissionFile: 'CoLA.tsv',
    splits: {
      // train/dev: source, label, original mark ("*" or empty), sentence — no header.
      train: { file: 'train.tsv', header: false, columns: 4, textA: 3, label: 1 },
      dev: { file: 'dev.tsv', header: false, columns: 4, textA: 3, label: 1 },
      test: { file: 'test.tsv', header: true, id: 0, textA: 1 },
    },
  },
  sst2: {
    name: 'sst2', labels: ['0', '1'], pair: false, metrics: ['accuracy'], submissionFile: 'SST-2.tsv',
    splits: {
      train: { file: 'train.tsv', header: true, textA: 0, label: 1 },
      dev: { file: 'dev.tsv', header: true, textA: 0, label: 1 },
      test: { file: 'test.tsv', header: true, id: 0, textA: 1 },
    },
  },
  mrpc: {
    name: 'mrpc', labels: ['0', '1'], pair: true, metrics: ['f1', 'accuracy'], submissionFile: 'MRPC.tsv',
    splits: {
      // Quality, #1 ID, #2 ID, #1 String, #2 String (train/dev start with a BOM); test: index, #1 ID, …
      train: { file: 'train.tsv', header: true, textA: 3, textB: 4, label: 0 },
      dev: { file: 'dev.tsv', header: true, textA: 3, textB: 4, label: 0 },
      test: { file: 'test.tsv', header: true, id: 0, textA: 3, textB: 4 },
    },
  },
  stsb: {
    name: 'stsb', labels: null, pair: true, metrics: ['pearson', 'spearmanr'], submissionFile: 'STS-B.tsv',
    splits: {
      // index genre filename year old_index source1 source2 sentence1 sentence2 score (test: no score).
      train: { file: 'train.tsv', header: true, id: 0, textA: 7, textB: 8, label: 9 },
      dev: { file: 'dev.tsv', header: true, id: 0, textA: 7, textB: 8, label: 9 },
      test: { file: 'test.tsv', header: true, id: 0, textA: 7, textB: 8 },
    },
  },
  qqp: {
    name: 'qqp', labels: ['0', '1'], pair: true, metrics: ['f1', 'accuracy'], submissionFile: 'QQP.tsv',
    splits: {
      // id qid1 qid2 question1 question2 is_duplicate; test: id question1 question2.
      train: { file: 'train.tsv', header: true, id: 0, textA: 3, textB: 4, label: 5 },
      dev: { file: 'dev.tsv', header: true, id: 0, textA: 3, textB: 4, label: 5 },
      test: { file: 'test.tsv', header: true, id: 0, textA: 1, textB: 2 },
    },
  },
  mnli: { name: 'mnli', labels: ['contradiction', 'entailment', 'neutral'], pair: true, metrics: ['accuracy'], submissionFile: 'MNLI-m.tsv', splits: mnli('dev_matched.tsv', 'test_matched.tsv') },
  'mnli-mm': { name: 'mnli-mm', labels: ['contradiction', 'entailment', 'neutral'], pair: true, metrics: ['accuracy'], submissionFile: 'MNLI-mm.tsv', splits: mnli('dev_mismatched.tsv', 'test_mismatched.tsv') },
  qnli: { name: 'qnli', labels: ['entailment', 'not_entailment'], pair: true, metrics: ['accuracy'], submissionFile: 'QNLI.tsv', splits: indexPair() },
  rte: { name: 'rte', labels: ['entailment', 'not_entailment'], pair: true, metrics: ['accuracy'], submissionFile: 'RTE.tsv', splits: indexPair() },
  wnli: { name: 'wnli', labels: ['0', '1'], pair: true, metrics: ['accuracy'], submissionFile: 'WNLI.tsv', splits: indexPair() },
};

/** A task name that is not in the table (message lists the known ones). */
export class GlueTaskError extends Error {
  override name = 'GlueTaskError';
}

/** Looks a task up by name, case-insensitively, accepting the GLUE folder spellings (SST-2, STS-B, MNLI-mm). */
export function glueTask(name: string): GlueTask {
  const key = name.toLowerCase().replace(/^sst-2$/, 'sst2').replace(/^sts-b$/, 'stsb').replace(/^mnli[-_]?m$/, 'mnli').replace(/^mnli[-_]mm$/, 'mnli-mm');
  const t = (GLUE_TASKS as Record<string, GlueTask>)[key];
  if (!t) throw new GlueTaskError(`task: expected one of ${Object.keys(GLUE_TASKS).join(', ')}, got ${JSON.stringify(name)}`);
  return t;
}

/**
 * Layouts of the source files GLUE was built from (for the CoLA / MRPC / STS-B folders' extra files):
 * CoLA's raw in/out-of-domain TSVs (the GLUE layout), MSR's msr_paraphrase_{train,test}.txt (BOM, header, labels)
 * and the STS Benchmark's original sts-*.tsv (no header; genre, file, year, id, score, sentence1, sentence2, and
 * in some rows two more source fields).
 */
export const GLUE_SOURCE_LAYOUTS = {
  colaRaw: { file: 'original/raw/in_domain_train.tsv', header: false, columns: 4, textA: 3, label: 1 },
  msrParaphrase: { file: 'msr_paraphrase_train.txt', header: true, textA: 3, textB: 4, label: 0 },
  stsOriginal: { file: 'original/sts-train.tsv', header: false, columns: 7, extraColumns: true, textA: 5, textB: 6, label: 4 },
} as const satisfies Record<string, GlueLayout>;
