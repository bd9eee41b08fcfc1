// One fine-tuning micro-step of an HF BertFor<Task> head as an ONNX graph: the forward pass, the loss (as the HF
// heads compute it), and the gradient of the loss with respect to every parameter, output as `grad.<name>`.
// Parameters are inputs, so one ONNX Runtime session fine-tunes for the whole run (the fine-tuning counterpart of
// pretraining-graph.ts). Data inputs besides input_ids / token_type_ids / attention_mask ([B, T]; [B·C, T] for
// multiple choice):
//   sequence-classification  pooled [CLS] → dropout → classifier [H, K]; mean CE over `labels` [B] (single label),
//                            MSE against `targets` [B] (regression, K = 1) or mean BCE-with-logits against `targets`
//                            [B, K] (multi-label)
//   token-classification     sequence → dropout → classifier [H, K] at `label_positions` [N] (flat b·T + t), `labels` [N]
//   question-answering       sequence → qa_outputs [H, 2] → start / end logits [B, T]; (CE at `start_rows`,
//                            `start_positions` + CE at `end_rows`, `end_positions`) / 2 — the rows whose position is in
//                            the sequence (HF ignores the others)
//   multiple-choice          pooled [CLS] of each of the C choices → dropout → classifier [H, 1] → [B, C]; CE over
//                            `labels` [B]; `choices` [1] = C
import type { BertConfig } from '@bertkit/encoder';
import { OnnxExportError } from '../errors.js';
import type { GraphBuilder } from '../graph-builder.js';
import { DataType } from '../onnx-proto.js';
import { addGrad, dropoutInputs, type DropoutSites } from './encoder-train.js';
import { finishTrainGraph, startTrainGraph, type TrainGraph } from './train-graph.js';
import type { GradOps } from './grad-ops.js';
import { poolerTrain } from './pooler-train.js';

export type TrainTaskKind = 'sequence-classification' | 'token-classification' | 'question-answering' | 'multiple-choice';
export const TRAIN_TASK_KINDS: readonly TrainTaskKind[] = ['sequence-classification', 'token-classification', 'question-answering', 'multiple-choice'];

export interface TaskGraphOptions {
  kind: TrainTaskKind;
  /** Shapes of the parameters the caller holds (HF names, tfjs layout: Dense kernels [in, out]); `classifier.weight` [H, K] or `qa_outputs.weight` [H, 2]. */
  shapes: ReadonlyMap<string, readonly number[]>;
  /** Dropout masks as inputs (default: where the config's rates are > 0; the classifier's rate is classifier_dropout, else hidden_dropout_prob). */
  dropout?: DropoutSites & { classifier: boolean };
  /** Sequence classification's loss, HF's `problem_type` (default single_label_classification). */
  problemType?: 'single_label_classification' | 'regression' | 'multi_label_classification';
}

export function buildTaskGraph(c: BertConfig, options: TaskGraphOptions): TrainGraph {
  const kind = options.kind;
  if (!TRAIN_TASK_KINDS.includes(kind)) throw new OnnxExportError('kind', TRAIN_TASK_KINDS.join(' | '), String(kind));
  const classifierRate = c.classifierDropout ?? c.hiddenDropoutProb;
  const sites = options.dropout ?? { hidden: c.hiddenDropoutProb > 0, attention: c.attentionProbsDropoutProb > 0, classifier: classifierRate > 0 };
  const { g, ops, io, enc, grads } = startTrainGraph(c, options.shapes, sites);
  const h = c.hiddenSize;
  const dropout = dropoutInputs(c.numHiddenLayers, sites);
  const head = kind === 'question-answering' ? 'qa_outputs' : 'classifier';
  const k = kind === 'question-answering' ? 2 : kind === 'multiple-choice' ? 1 : (options.shapes.get('classifier.weight')?.[1] ?? -1);
  const w = io.param(`${head}.weight`, [h, k]);
  const b = io.param(`${head}.bias`, [k]);
  const perToken = kind === 'token-classification' || kind === 'question-answering';

  // the head's input: the sequence output [B·T, H] or the pooled [CLS] rows [B, H], with the classifier's dropout
  const pooler = perToken ? null : poolerTrain(ops, io, enc, h);
  let features = perToken ? enc.sequence : pooler!.pooled;
  let mask: string | null = null;
  if (sites.classifier && kind !== 'question-answering') {
    const name = 'dropout.classifier';
    dropout.push({ name, site: perToken ? 'classifier' : 'classifier-pooled' });
    mask = io.input(name, DataType.FLOAT, perToken ? ['batch_size', 'sequence_length', h] : ['batch_size', h]);
    if (perToken) mask = g.op('Reshape', [mask, g.int64([-1, h])]);
    features = ops.mul(features, mask);
  }

  // the head: a linear layer on `features` (token classification: on its labelled rows only), then the loss and its
  // gradient with respect to the linear layer's output
  const token = kind === 'token-classification';
  const positions = token ? io.input('label_positions', DataType.INT64, ['labelled_tokens']) : null;
  const linearIn = token ? g.op('Gather', [features, positions!], { axis: { int: 0 } }) : features; // [N, H], [B·T, H] or [B, H]
  const logits = ops.linear(linearIn, w, b); // [N, K], [B·T, 2], [B, K] or [B·C, 1]
  let loss: string;
  let dLogits: string;
  if (kind === 'question-answering') {
    const logits3 = g.op('Reshape', [logits, g.op('Concat', [enc.bt, g.int64([2])], { axis: { int: 0 } })]); // [B, T, 2]
    const side = (which: 'start' | 'end', index: number) => {
      const rows = io.input(`${which}_rows`, DataType.INT64, [`${which}_rows`]);
      const spans = io.input(`${which}_positions`, DataType.INT64, [`${which}_rows`]);
      const all = g.op('Gather', [logits3, g.int64([index], true)], { axis: { int: 2 } }); // [B, T]
      const ce = ops.crossEntropy(g.op('Gather', [all, rows], { axis: { int: 0 } }), spans); // [R, T]
      return { loss: ce.loss, dAll: ops.scatterRows(all, rows, ce.dLogits) }; // [B, T]
    };
    const start = side('start', 0);
    const end = side('end', 1);
    const half = g.scalar(0.5, 'half');
    loss = ops.mul(ops.add(start.loss, end.loss), half);
    const dLogits3 = g.op('Concat', [g.op('Unsqueeze', [start.dAll, g.int64([2])]), g.op('Unsqueeze', [end.dAll, g.int64([2])])], { axis: { int: 2 } }); // [B, T, 2]
    dLogits = ops.mul(g.op('Reshape', [dLogits3, g.int64([-1, 2])]), half);
  } else if (kind === 'sequence-classification' && (options.problemType ?? 'single_label_classification') !== 'single_label_classification') {
    const regression = options.problemType === 'regression';
    const targets = io.input('targets', DataType.FLOAT, regression ? ['label_rows'] : ['label_rows', k]);
    ({ loss, dLogits } = regression ? meanSquaredError(g, ops, logits, targets) : binaryCrossEntropy(g, ops, logits, targets));
  } else {
    const labels = io.input('labels', DataType.INT64, [token ? 'labelled_tokens' : 'label_rows']);
    const mc = kind === 'multiple-choice';
    const byChoice = () => g.op('Concat', [g.int64([-1]), io.input('choices', DataType.INT64, [1])], { axis: { int: 0 } }); // [-1, C]
    const ce = ops.crossEntropy(mc ? g.op('Reshape', [logits, byChoice()]) : logits, labels); // over [B, C] for multiple choice
    loss = ce.loss;
    dLogits = mc ? g.op('Reshape', [ce.dLogits, g.int64([-1, 1])]) : ce.dLogits;
  }
  const lin = ops.linearBackward(linearIn, w, dLogits);
  addGrad(grads, `${head}.weight`, lin.dW);
  addGrad(grads, `${head}.bias`, lin.db);
  let dFeatures = token ? ops.scatterRows(features, positions!, lin.dx) : lin.dx; // the gradient with respect to `features`
  if (mask !== null) dFeatures = ops.mul(dFeatures, mask);
  enc.backward(perToken ? dFeatures : pooler!.backward(dFeatures, grads), grads);
  return finishTrainGraph({
    g, ops, io, shapes: options.shapes, grads, metrics: [['loss', loss]], dropout,
    name: 'bert_task_step', docString: `BERT fine-tuning step (${kind}): loss and gradients, built by @bertkit/onnx`,
  });
}

/** HF regression (num_labels 1): torch MSELoss (mean) of logits [B, 1] squeezed against `targets` [B]. */
function meanSquaredError(g: GraphBuilder, ops: GradOps, logits: string, targets: string): { loss: string; dLogits: string } {
  const diff = g.op('Sub', [g.op('Reshape', [logits, g.int64([-1])]), targets]); // [B]
  const n = g.op('Cast', [g.op('Shape', [targets])], { to: { int: DataType.FLOAT } }); // [1] = B
  const loss = ops.mean(ops.mul(diff, diff), [0], false);
  const dLogits = g.op('Reshape', [g.op('Div', [ops.mul(diff, g.scalar(2, 'two')), n]), g.int64([-1, 1])]); // [B, 1]
  return { loss, dLogits };
}

/**
 * HF multi-label: torch BCEWithLogitsLoss (mean over every element) of logits [B, K] against `targets` [B, K], in
 * the stable form max(x, 0) − x·y + log(1 + e^−|x|); its gradient (σ(x) − y) / (B·K).
 */
function binaryCrossEntropy(g: GraphBuilder, ops: GradOps, logits: string, targets: string): { loss: string; dLogits: string } {
  const terms = ops.add(g.op('Sub', [g.op('Relu', [logits]), ops.mul(logits, targets)]), g.op('Softplus', [g.op('Neg', [g.op('Abs', [logits])])]));
  const loss = ops.mean(terms, [0, 1], false);
  const n = g.op('Cast', [g.op('Size', [logits])], { to: { int: DataType.FLOAT } }); // [] = B·K
  const dLogits = g.op('Div', [g.op('Sub', [g.op('Sigmoid', [logits]), targets]), n]);
  return { loss, dLogits };
}
