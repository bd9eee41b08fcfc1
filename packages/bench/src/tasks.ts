// The three benchmark tasks, each driving `warmup + steps` steps and marking step boundaries on a StepClock.
// Training goes through the code users run: @bertkit/training's `train()` for pre-training (as `bert pretrain`)
// and @bertkit/heads' `fineTune()` for sequence classification (as `bert finetune`). With engine `ort` the forward
// runs the graph @bertkit/onnx exports, pre-training the ort engine of @bertkit/pretraining and fine-tuning that of
// @bertkit/heads (Node only).
import { Rng } from '@bertkit/backend';
import { BertModel, stateDict, type BertConfig } from '@bertkit/encoder';
import { BertTaskModel, fineTune, withLabels } from '@bertkit/heads';
import { BertForPreTraining, type PretrainingBatch } from '@bertkit/pretraining';
import { AdamW, constantSchedule, train, type StepRunner, type TrainEvent } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { classificationBatch, pretrainingBatch, randomRow } from './inputs.js';
import type { StepClock } from './step-clock.js';

export interface TaskRun {
  config: BertConfig;
  batch: number;
  seq: number;
  /** warm-up + timed steps */
  total: number;
  seed: number;
  clock: StepClock;
  /** train: activation checkpointing. */
  checkpointLayers?: boolean;
  /** `ort`: the steps run in ONNX Runtime. Default tfjs. */
  engine?: 'tfjs' | 'ort';
  /** `ort`: threads per operator. */
  threads?: number;
}

export interface TaskOutcome {
  /** Trainable parameters of the model the task ran. */
  params: number;
  /** Loss of the last step (train, finetune). */
  loss?: number;
}

function paramCount(vars: Iterable<tf.Variable>): number {
  let n = 0;
  for (const v of vars) n += v.size;
  return n;
}

/** Marks step boundaries from a training loop's events. */
function clockEvents(clock: StepClock): (e: TrainEvent) => void {
  return (e) => {
    if (e.type === 'start') clock.begin();
    if (e.type === 'step') {
      clock.end();
      clock.begin();
    }
  };
}

/** Encoder forward (eval mode, with the pooler) and an awaited read of both outputs. */
export async function runForward(r: TaskRun): Promise<TaskOutcome> {
  const rng = new Rng(r.seed);
  const model = new BertModel(r.config, { rng, addPooler: true });
  const ids = new Int32Array(r.batch * r.seq);
  for (let b = 0; b < r.batch; b++) ids.set(randomRow(rng, r.seq, r.config.vocabSize), b * r.seq);
  if (r.engine === 'ort') {
    try {
      return await runForwardOrt(r, model, ids);
    } finally {
      model.dispose();
    }
  }
  const inputIds = tf.tensor2d(ids, [r.batch, r.seq], 'int32');
  try {
    for (let i = 0; i < r.total; i++) {
      r.clock.begin();
      const out = tf.tidy(() => {
        const o = model.forward({ inputIds });
        return [o.sequenceOutput, o.pooledOutput as tf.Tensor]; // [B, T, H], [B, H]
      });
      await Promise.all(out.map((t) => t.data()));
      tf.dispose(out);
      r.clock.end();
    }
    return { params: paramCount(model.parameters().values()) };
  } finally {
    inputIds.dispose();
    model.dispose();
  }
}

/** The same forward in ONNX Runtime, as `--engine ort` runs it (createOrtBert: the graph @bertkit/onnx exports). */
async function runForwardOrt(r: TaskRun, model: BertModel, ids: Int32Array): Promise<TaskOutcome> {
  const { createOrtBert } = await import('@bertkit/onnx/node');
  const session = await createOrtBert({ config: r.config, tensors: await stateDict(model) }, { head: 'base', ...(r.threads === undefined ? {} : { threads: r.threads }) });
  const inputs = { inputIds: ids, typeIds: new Int32Array(ids.length), attentionMask: new Int32Array(ids.length).fill(1) }; // the tfjs run's defaults
  try {
    for (let i = 0; i < r.total; i++) {
      r.clock.begin();
      await session.run(inputs, [r.batch, r.seq]);
      r.clock.end();
    }
    return { params: paramCount(model.parameters().values()) };
  } finally {
    await session.dispose();
  }
}

/** Pre-training steps: MLM (15 % of positions) + NSP loss, backward, clipping, AdamW, through `train()`. */
export async function runTrain(r: TaskRun): Promise<TaskOutcome> {
  const rng = new Rng(r.seed);
  const model = BertForPreTraining.create(r.config, { rng });
  const data = pretrainingBatch(rng, r.batch, r.seq, r.config.vocabSize);
  const optimizer = new AdamW();
  try {
    const { params, lossFn } = model.asTask({ checkpointLayers: r.checkpointLayers ?? false });
    let runner: StepRunner<PretrainingBatch> | undefined;
    if (r.engine === 'ort') {
      const { OrtStepRunner } = await import('@bertkit/pretraining/node');
      runner = await OrtStepRunner.create({ model, optimizer, ...(r.threads === undefined ? {} : { threads: r.threads }) });
    }
    const result = await train({
      ...(runner ? { runner } : {}),
      params,
      lossFn,
      data: (function* () {
        for (;;) yield data;
      })(),
      optimizer,
      schedule: constantSchedule(1e-4),
      steps: r.total,
      rng,
      onEvent: clockEvents(r.clock),
    });
    return { params: paramCount(params.values()), loss: result.losses[result.losses.length - 1] };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Sequence-classification fine-tuning steps (2 labels) through @bertkit/heads' `fineTune()` (as `bert finetune`). */
export async function runFinetune(r: TaskRun): Promise<TaskOutcome> {
  const rng = new Rng(r.seed);
  const config = withLabels(r.config, ['a', 'b']);
  const model = new BertTaskModel(config, 'sequence-classification', { rng });
  const rows = classificationBatch(rng, r.batch, r.seq, r.config.vocabSize, 2);
  const features = Array.from({ length: r.batch }, (_, i) => i);
  const t = r.seq;
  try {
    const result = await fineTune({
      model,
      features,
      // the rows in the order the run's shuffle asks for
      collate: (fs) => ({
        shape: [fs.length, t],
        inputIds: Int32Array.from(fs.flatMap((f) => [...rows.inputIds.subarray(f * t, (f + 1) * t)])),
        typeIds: Int32Array.from(fs.flatMap((f) => [...rows.typeIds.subarray(f * t, (f + 1) * t)])),
        attentionMask: new Int32Array(fs.length * t).fill(1),
        labels: Int32Array.from(fs, (f) => rows.labels![f]),
      }),
      config: { batchSize: r.batch, maxSteps: r.total, seed: r.seed, logEvery: 1 },
      onEvent: clockEvents(r.clock),
      ...(r.engine === 'ort' ? { runner: await ortTaskRunner(model, r.threads) } : {}),
    });
    return { params: paramCount(model.parameters().values()), loss: result.losses[result.losses.length - 1] };
  } finally {
    model.dispose();
  }
}

/** The runner factory of `bert finetune --engine ort` (imported on use: Node only). */
async function ortTaskRunner(model: BertTaskModel, threads: number | undefined) {
  const { createOrtTaskRunner } = await import('@bertkit/heads/node');
  return (optimizer: AdamW, clipNorm: number | null) => createOrtTaskRunner(model, optimizer, { clipNorm, ...(threads === undefined ? {} : { threads }) });
}
