// BERT with one task output layer, as HF's `BertFor*` classes (transformers/models/bert/modeling_bert.py):
//   sequence-classification  pooled [CLS] → dropout → `classifier` [H, numLabels]    (BertForSequenceClassification)
//   token-classification     sequence output → dropout → `classifier` [H, numLabels] (BertForTokenClassification, no pooler)
//   question-answering       sequence output → `qa_outputs` [H, 2] → start/end        (BertForQuestionAnswering, no pooler)
//   multiple-choice          [B, C, T] flattened → pooled → dropout → `classifier` [H, 1] → [B, C]
// Paper §4: "the only new parameters introduced during fine-tuning are classification layer weights".
import type { Rng } from '@bertkit/backend';
import { BertModel, dropout, type BertConfig, type ForwardContext, type Init } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { HeadConfigError, TaskInputError } from './errors';
import { LinearHead } from './linear-head';

export type HeadKind = 'sequence-classification' | 'token-classification' | 'question-answering' | 'multiple-choice';

export const HEAD_KINDS: readonly HeadKind[] = ['sequence-classification', 'token-classification', 'question-answering', 'multiple-choice'];

/** The HF class each head is saved as (config.json `architectures`). */
export const ARCHITECTURES: Readonly<Record<HeadKind, string>> = {
  'sequence-classification': 'BertForSequenceClassification',
  'token-classification': 'BertForTokenClassification',
  'question-answering': 'BertForQuestionAnswering',
  'multiple-choice': 'BertForMultipleChoice',
};

/** HF `problem_type` of BertForSequenceClassification (chosen from numLabels when the config has none). */
export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** The head kind a config.json `architectures` names, or null. */
export function headKindOf(config: BertConfig): HeadKind | null {
  for (const a of config.architectures ?? []) {
    for (const k of HEAD_KINDS) if (ARCHITECTURES[k] === a) return k;
  }
  return null;
}

/** HF: `problem_type` from the config, else regression when num_labels == 1, else single-label classification. */
export function problemTypeOf(config: BertConfig): ProblemType {
  const p = config.extra.problem_type;
  if (p === 'regression' || p === 'single_label_classification' || p === 'multi_label_classification') return p;
  if (p !== undefined && p !== null) throw new HeadConfigError('problem_type', 'regression, single_label_classification or multi_label_classification', JSON.stringify(p));
  return config.numLabels === 1 ? 'regression' : 'single_label_classification';
}

/** Config with label names set as HF writes them. */
export function withLabels(config: BertConfig, labels: string[] | undefined, problemType?: string): BertConfig {
  const c: BertConfig = { ...config, extra: { ...config.extra } };
  if (labels) {
    c.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    c.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
    c.numLabels = labels.length;
  }
  if (problemType) c.extra.problem_type = problemType;
  if (problemType === 'regression' && !labels) {
    // HF regression (STS-B): one output; label names of a classification config do not apply.
    c.numLabels = 1;
    c.id2label = undefined;
    c.label2id = undefined;
  }
  return c;
}

export interface TaskInputs {
  /** int32 [B, T]; multiple choice: [B, C, T]. */
  inputIds: tf.Tensor;
  tokenTypeIds?: tf.Tensor;
  attentionMask?: tf.Tensor;
}

export interface TaskForwardOptions {
  training?: boolean;
  dropoutRng?: Rng;
}

export interface TaskModelOptions {
  /** `truncated-normal` draws the encoder and head from `rng`; `zeros` allocates for a checkpoint load. */
  init?: 'truncated-normal' | 'zeros';
  rng?: Rng;
  /** Reuse an encoder (e.g. one just loaded from a pre-training checkpoint); it must have a pooler where needed. */
  encoder?: BertModel;
}

/** Whether a head reads the pooled [CLS] output (HF builds the pooler only then). */
export function usesPooler(kind: HeadKind): boolean {
  return kind === 'sequence-classification' || kind === 'multiple-choice';
}

export class BertTaskModel {
  readonly encoder: BertModel;
  readonly head: LinearHead;
  readonly numLabels: number;

  constructor(
    readonly config: BertConfig,
    readonly kind: HeadKind,
    options: TaskModelOptions = {},
  ) {
    const initKind = options.init ?? 'truncated-normal';
    if (initKind === 'truncated-normal' && options.rng === undefined) {
      throw new HeadConfigError('options.rng', "an Rng for init 'truncated-normal' (or init: 'zeros')", 'none');
    }
    this.numLabels = kind === 'question-answering' ? 2 : kind === 'multiple-choice' ? 1 : config.numLabels;
    this.encoder =
      options.encoder ?? new BertModel(config, { addPooler: usesPooler(kind), init: initKind, rng: options.rng });
    if (usesPooler(kind) && this.encoder.pooler === null) throw new HeadConfigError('encoder.pooler', `a pooler for ${kind}`, 'none');
    const init: Init = initKind === 'zeros' ? { kind: 'zeros' } : { kind: 'truncated-normal', rng: options.rng as Rng, std: config.initializerRange };
    this.head = new LinearHead(kind === 'question-answering' ? 'qa_outputs' : 'classifier', config.hiddenSize, this.numLabels, init);
  }

  /** HF `classifier_dropout` if set, else `hidden_dropout_prob`. */
  get classifierDropout(): number {
    return this.config.classifierDropout ?? this.config.hiddenDropoutProb;
  }

  /**
   * Logits inside one tf.tidy: sequence classification [B, numLabels]; token classification [B, T, numLabels];
   * question answering [B, T, 2] (start, end); multiple choice [B, C].
   */
  forward(inputs: TaskInputs, options: TaskForwardOptions = {}): tf.Tensor {
    const training = options.training ?? false;
    const ctx: ForwardContext = { training, dropoutRng: options.dropoutRng ?? null, capture: null };
    return tf.tidy(() => {
      let { inputIds, tokenTypeIds, attentionMask } = inputs;
      let choices = 0;
      if (this.kind === 'multiple-choice') {
        if (inputIds.rank !== 3) throw new TaskInputError('inputIds', 'an int32 tensor [B, C, T] for multiple choice', `[${inputIds.shape}]`);
        const [b, c, t] = inputIds.shape as [number, number, number];
        choices = c;
        const flat = (x: tf.Tensor | undefined) => (x === undefined ? undefined : tf.reshape(x, [b * c, t])); // [B·C, T]
        [inputIds, tokenTypeIds, attentionMask] = [flat(inputIds)!, flat(tokenTypeIds), flat(attentionMask)];
      }
      const out = this.encoder.forward(
        { inputIds: inputIds as tf.Tensor2D, tokenTypeIds: tokenTypeIds as tf.Tensor2D | undefined, attentionMask: attentionMask as tf.Tensor2D | undefined },
        { training, dropoutRng: options.dropoutRng },
      );
      switch (this.kind) {
        case 'sequence-classification':
          return this.head.apply(dropout(out.pooledOutput as tf.Tensor2D, this.classifierDropout, ctx)); // [B, K]
        case 'token-classification':
          return this.head.apply(dropout(out.sequenceOutput, this.classifierDropout, ctx)); // [B, T, K]
        case 'question-answering':
          return this.head.apply(out.sequenceOutput); // [B, T, 2] (HF applies no dropout here)
        case 'multiple-choice': {
          const scores = this.head.apply(dropout(out.pooledOutput as tf.Tensor2D, this.classifierDropout, ctx)); // [B·C, 1]
          return tf.reshape(scores, [-1, choices]); // [B, C]
        }
      }
    });
  }

  /** Every trainable variable under its HF checkpoint name (`bert.` + encoder name, then the head's). */
  parameters(): Map<string, tf.Variable> {
    const m = new Map<string, tf.Variable>();
    for (const [k, v] of this.encoder.parameters()) m.set(`bert.${k}`, v);
    for (const [k, v] of this.head.parameters()) m.set(k, v);
    return m;
  }

  dispose(): void {
    this.encoder.dispose();
    this.head.dispose();
  }
}
