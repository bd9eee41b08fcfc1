// One fine-tuning micro-step of HF BertForSequenceClassification (single-label) or BertForTokenClassification as
// an ONNX graph: the forward pass, the loss (mean cross-entropy, as the HF heads compute it), the accuracy, and the
// gradient of the loss with respect to every parameter, output as `grad.<name>`. Parameters are inputs, so one ONNX
// Runtime session fine-tunes for the whole run (the fine-tuning counterpart of pretraining-graph.ts).
//   sequence-classification  pooled [CLS] → dropout → classifier [H, K]; labels [B]
//   token-classification     sequence output → dropout → classifier [H, K] at the labelled positions b·T + t; labels [N]
import type { BertConfig } from '@bertkit/encoder';
import { OnnxExportError } from '../errors.js';
import { GraphBuilder } from '../graph-builder.js';
import { DataType } from '../onnx-proto.js';
import { addGrad, dropoutInputs, encoderTrain, type DropoutSites, type GradParts } from './encoder-train.js';
import { finishTrainGraph, type TrainGraph } from './finish-graph.js';
import { GradOps } from './grad-ops.js';
import { GraphIo } from './graph-inputs.js';
import { poolerTrain } from './pooler-train.js';

export type TrainTaskKind = 'sequence-classification' | 'token-classification';
export const TRAIN_TASK_KINDS: readonly TrainTaskKind[] = ['sequence-classification', 'token-classification'];

export interface TaskGraphOptions {
  kind: TrainTaskKind;
  /** Shapes of the parameters the caller holds (HF names, tfjs layout: Dense kernels [in, out]); `classifier.weight` [H, K]. */
  shapes: ReadonlyMap<string, readonly number[]>;
  /** Dropout masks as inputs (default: where the config's rates are > 0; the classifier's rate is classifier_dropout, else hidden_dropout_prob). */
  dropout?: DropoutSites & { classifier: boolean };
}

/** Inputs input_ids, token_type_ids, attention_mask [B, T]; `label_positions` [N] (token) and `labels` ([B] or [N]). */
export function buildTaskGraph(c: BertConfig, options: TaskGraphOptions): TrainGraph {
  if (!TRAIN_TASK_KINDS.includes(options.kind)) throw new OnnxExportError('kind', TRAIN_TASK_KINDS.join(' | '), String(options.kind));
  const classifierRate = c.classifierDropout ?? c.hiddenDropoutProb;
  const sites = options.dropout ?? { hidden: c.hiddenDropoutProb > 0, attention: c.attentionProbsDropoutProb > 0, classifier: classifierRate > 0 };
  const g = new GraphBuilder();
  const ops = new GradOps(g);
  const io = new GraphIo(g, options.shapes);
  const h = c.hiddenSize;
  const k = options.shapes.get('classifier.weight')?.[1] ?? -1;
  const enc = encoderTrain(ops, io, c, sites);
  const grads: GradParts = new Map();
  const token = options.kind === 'token-classification';
  const dropout = dropoutInputs(c.numHiddenLayers, sites);

  // the classifier's input: the labelled rows of the sequence output, or the pooled [CLS] rows
  const pooler = token ? null : poolerTrain(ops, io, enc, h);
  const positions = token ? io.input('label_positions', DataType.INT64, ['labelled_tokens']) : null;
  const labels = io.input('labels', DataType.INT64, [token ? 'labelled_tokens' : 'batch_size']);
  let features = token ? enc.sequence : pooler!.pooled; // [B·T, H] or [B, H]
  let mask: string | null = null;
  if (sites.classifier) {
    const name = 'dropout.classifier';
    dropout.push({ name, site: token ? 'classifier' : 'classifier-pooled' });
    mask = io.input(name, DataType.FLOAT, token ? ['batch_size', 'sequence_length', h] : ['batch_size', h]);
    if (token) mask = g.op('Reshape', [mask, g.int64([-1, h])]);
    features = ops.mul(features, mask);
  }
  const picked = token ? g.op('Gather', [features, positions!], { axis: { int: 0 } }) : features; // [N, H] or [B, H]
  const w = io.param('classifier.weight', [h, k]);
  const logits = ops.linear(picked, w, io.param('classifier.bias', [k])); // [N, K] or [B, K]
  const ce = ops.crossEntropy(logits, labels);

  // backward: classifier, dropout, then the rows back into the sequence (token) or through the pooler
  const cls = ops.linearBackward(picked, w, ce.dLogits);
  addGrad(grads, 'classifier.weight', cls.dW);
  addGrad(grads, 'classifier.bias', cls.db);
  let dFeatures = token ? ops.scatterRows(enc.sequence, positions!, cls.dx) : cls.dx; // [B·T, H] or [B, H]
  if (mask !== null) dFeatures = ops.mul(dFeatures, mask);
  enc.backward(token ? dFeatures : pooler!.backward(dFeatures, grads), grads);
  return finishTrainGraph({
    g, ops, io, shapes: options.shapes, grads, metrics: [['loss', ce.loss], ['accuracy', ce.accuracy]], dropout,
    name: 'bert_task_step', docString: `BERT fine-tuning step (${options.kind}): loss and gradients, built by @bertkit/onnx`,
  });
}
