// The ONNX Runtime engine of fine-tuning (Node; `engine: 'ort'` of runFineTune): @bertkit/onnx's OrtTrainRunner on
// the graph it builds for the task head (sequence classification with one label, regression or several labels;
// token classification; question answering; multiple choice), fed a TaskBatch. The same run as the tfjs engine's
// (dropout masks, clipping, AdamW) on ORT's CPU kernels; the model's variables are brought up to date before
// checkpoints and at the end, so saving is unchanged. `ortTaskForward` evaluates the trained model on ORT too (the
// graph @bertkit/onnx exports, built in memory).
import { stateDict } from '@bertkit/encoder';
import { TRAIN_TASK_KINDS, buildTaskGraph, type TrainTaskKind } from '@bertkit/onnx';
import { OrtTrainRunner, createOrtBert, int64, type BatchDims, type OrtBert, type OrtFeeds, type OrtModule } from '@bertkit/onnx/node';
import type { AdamW, StepRunner } from '@bertkit/training';
import { IGNORE_INDEX, batchLabels, type TaskBatch } from './batch';
import { HeadConfigError, TaskInputError } from './errors';
import { problemTypeOf, type BertTaskModel, type ProblemType } from './task-model';

export interface OrtTaskRunnerOptions {
  /** Global-norm clipping threshold; null disables. */
  clipNorm: number | null;
  /** ORT threads per operator (default: ORT's choice, the physical cores). */
  threads?: number;
}

/** The data inputs of the task graph (see @bertkit/onnx's task-graph.ts) and the encoder's [rows, T]. */
function taskFeeds(ort: OrtModule, kind: TrainTaskKind, problem: ProblemType, b: TaskBatch): { feeds: OrtFeeds; dims: BatchDims } {
  const mc = kind === 'multiple-choice';
  if (b.shape.length !== (mc ? 3 : 2)) throw new TaskInputError('batch.shape', mc ? '[B, C, T]' : '[B, T]', `[${b.shape.join(', ')}]`);
  const t = b.shape[b.shape.length - 1];
  const rows = b.inputIds.length / t; // B, or B·C
  const ids = (x: ArrayLike<number>) => new ort.Tensor('int64', int64(x), [rows, t]);
  const vector = (xs: number[]) => new ort.Tensor('int64', int64(xs), [xs.length]);
  const feeds: OrtFeeds = { input_ids: ids(b.inputIds), token_type_ids: ids(b.typeIds), attention_mask: ids(b.attentionMask) };
  if (kind === 'token-classification') {
    const labels = batchLabels(b.labels, 'labels', kind);
    const positions: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] !== IGNORE_INDEX) positions.push(i);
    feeds.label_positions = vector(positions);
    feeds.labels = vector(positions.map((i) => labels[i]));
  } else if (kind === 'question-answering') {
    // HF clamps positions outside the sequence to T and ignores them: only the rows with one in [0, T) count
    for (const [which, all] of [['start', batchLabels(b.startPositions, 'startPositions', kind)], ['end', batchLabels(b.endPositions, 'endPositions', kind)]] as const) {
      const kept = [...all.keys()].filter((i) => all[i] >= 0 && all[i] < t);
      feeds[`${which}_rows`] = vector(kept);
      feeds[`${which}_positions`] = vector(kept.map((i) => all[i]));
    }
  } else if (kind === 'sequence-classification' && problem !== 'single_label_classification') {
    const targets = batchLabels(b.targets, 'targets', problem);
    const n = b.shape[0];
    feeds.targets = new ort.Tensor('float32', Float32Array.from(targets), problem === 'regression' ? [n] : [n, targets.length / n]);
  } else {
    feeds.labels = vector([...batchLabels(b.labels, 'labels', kind)]);
    if (mc) feeds.choices = vector([b.shape[1]]);
  }
  return { feeds, dims: { batchSize: rows, seqLength: t } };
}

/** The ort StepRunner for fine-tuning `model` with `optimizer` (any head kind and problem type). */
export async function createOrtTaskRunner(model: BertTaskModel, optimizer: AdamW, o: OrtTaskRunnerOptions): Promise<StepRunner<TaskBatch>> {
  if (!(TRAIN_TASK_KINDS as readonly string[]).includes(model.kind)) throw new HeadConfigError('engine', `ort: a head of kind ${TRAIN_TASK_KINDS.join(', ')}`, model.kind);
  const kind = model.kind as TrainTaskKind;
  const problem = kind === 'sequence-classification' ? problemTypeOf(model.config) : 'single_label_classification';
  const params = model.parameters();
  const shapes = new Map([...params].map(([n, p]) => [n, p.shape.slice()]));
  return OrtTrainRunner.create<TaskBatch>({
    graph: buildTaskGraph(model.config, { kind, shapes, problemType: problem }),
    config: model.config,
    params,
    optimizer,
    clipNorm: o.clipNorm,
    threads: o.threads,
    batchFeeds: (ort, batch) => taskFeeds(ort, kind, problem, batch),
    metricKeys: {}, // the tfjs engine reports the loss alone; so does this one (same metrics.jsonl)
    caller: 'engine ort',
  });
}

/** An ORT session of the model's current weights (encoder and task head) for predictions; the caller disposes it. */
export async function ortTaskForward(model: BertTaskModel, options: { threads?: number } = {}): Promise<OrtBert> {
  const tensors = new Map([...(await stateDict(model.encoder, { prefix: 'bert.' })), ...(await model.head.stateDict())]);
  return createOrtBert({ config: model.config, tensors, task: { kind: model.kind } }, options);
}
