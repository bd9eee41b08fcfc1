// The ONNX Runtime engine of fine-tuning (Node; `engine: 'ort'` of runFineTune): @bertkit/onnx's OrtTrainRunner on
// the graph it builds for BertForSequenceClassification (single label) or BertForTokenClassification, fed a
// TaskBatch. The same run as the tfjs engine's (dropout masks, clipping, AdamW), on ORT's CPU kernels; the model's
// variables are brought up to date before checkpoints and at the end, so saving is unchanged. `ortTaskForward`
// evaluates the trained model on ORT too (the graph @bertkit/onnx exports, built in memory).
import { stateDict } from '@bertkit/encoder';
import { TRAIN_TASK_KINDS, buildTaskGraph, type TrainTaskKind } from '@bertkit/onnx';
import { OrtTrainRunner, createOrtBert, int64, type OrtBert, type OrtFeeds, type OrtModule } from '@bertkit/onnx/node';
import type { AdamW, StepRunner } from '@bertkit/training';
import { IGNORE_INDEX, type TaskBatch } from './batch';
import { HeadConfigError, TaskInputError } from './errors';
import { problemTypeOf, type BertTaskModel } from './task-model';

export interface OrtTaskRunnerOptions {
  /** Global-norm clipping threshold; null disables. */
  clipNorm: number | null;
  /** ORT threads per operator (default: ORT's choice, the physical cores). */
  threads?: number;
}

/** Whether the ort engine can fine-tune this model (else: the tfjs engine). */
export function ortCanFineTune(model: BertTaskModel): boolean {
  if (!(TRAIN_TASK_KINDS as readonly string[]).includes(model.kind)) return false;
  return model.kind === 'token-classification' || problemTypeOf(model.config) === 'single_label_classification';
}

/** The data inputs of the task graph: ids [B, T], labels [B] (sequence) or the labelled positions b·T + t and their labels. */
function taskFeeds(ort: OrtModule, kind: TrainTaskKind, b: TaskBatch): OrtFeeds {
  if (b.shape.length !== 2) throw new TaskInputError('batch.shape', '[B, T]', `[${b.shape.join(', ')}]`);
  if (b.labels === undefined) throw new TaskInputError('batch.labels', `labels for ${kind}`, 'none');
  const feeds: OrtFeeds = {
    input_ids: new ort.Tensor('int64', int64(b.inputIds), b.shape),
    token_type_ids: new ort.Tensor('int64', int64(b.typeIds), b.shape),
    attention_mask: new ort.Tensor('int64', int64(b.attentionMask), b.shape),
  };
  if (kind === 'sequence-classification') {
    feeds.labels = new ort.Tensor('int64', int64(b.labels), [b.labels.length]);
    return feeds;
  }
  const positions: number[] = [];
  for (let i = 0; i < b.labels.length; i++) if (b.labels[i] !== IGNORE_INDEX) positions.push(i);
  feeds.label_positions = new ort.Tensor('int64', int64(positions), [positions.length]);
  feeds.labels = new ort.Tensor('int64', int64(positions.map((i) => b.labels![i])), [positions.length]);
  return feeds;
}

/** The ort StepRunner for fine-tuning `model` with `optimizer`; throws HeadConfigError for a head it cannot train. */
export async function createOrtTaskRunner(model: BertTaskModel, optimizer: AdamW, o: OrtTaskRunnerOptions): Promise<StepRunner<TaskBatch>> {
  if (!ortCanFineTune(model)) {
    const what = model.kind === 'sequence-classification' ? `sequence-classification (${problemTypeOf(model.config)})` : model.kind;
    throw new HeadConfigError('engine', 'ort: a single-label sequence-classification or a token-classification head (else the tfjs engine)', what);
  }
  const kind = model.kind as TrainTaskKind;
  const params = model.parameters();
  const shapes = new Map([...params].map(([n, p]) => [n, p.shape.slice()]));
  return OrtTrainRunner.create<TaskBatch>({
    graph: buildTaskGraph(model.config, { kind, shapes }),
    config: model.config,
    params,
    optimizer,
    clipNorm: o.clipNorm,
    threads: o.threads,
    batchFeeds: (ort, batch) => ({ feeds: taskFeeds(ort, kind, batch), dims: { batchSize: batch.shape[0], seqLength: batch.shape[1] } }),
    metricKeys: {}, // the tfjs engine reports the loss alone; so does this one (same metrics.jsonl)
    caller: 'engine ort',
  });
}

/** An ORT session of the model's current weights (encoder and task head) for predictions; the caller disposes it. */
export async function ortTaskForward(model: BertTaskModel, options: { threads?: number } = {}): Promise<OrtBert> {
  const tensors = new Map([...(await stateDict(model.encoder, { prefix: 'bert.' })), ...(await model.head.stateDict())]);
  return createOrtBert({ config: model.config, tensors, task: { kind: model.kind } }, options);
}
