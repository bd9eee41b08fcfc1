// A whole fine-tuning run (Node; paper §4): for each learning rate of a grid, fine-tune (resumable from the newest
// checkpoint), evaluate on dev with the task's official metric, and write an HF model directory that BertFor<Task>
// loads; the best dev score wins. Options in, events out: `bert finetune`, the quickstart and any other app are views
// of this run. Per run directory: metrics.jsonl, checkpoints/, final/, eval.json, predictions.json; result.json on top.
import type { BertTokenizer } from '@bertkit/tokenizer';
import type { TrainEvent } from '@bertkit/training';
import { MetricsWriter } from '@bertkit/training/node';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointWriter, resumeFineTune } from './checkpoints';
import type { FineTuneTask } from './finetune-task';
import { saveTaskModel } from './model-io';
import { createOrtTaskRunner, ortTaskForward } from './ort-task-runner';
import type { TaskBatch } from './batch';
import { fineTune, predictLogits } from './runner';
import type { BertTaskModel } from './task-model';

export interface FineTuneRunOptions<F> {
  task: FineTuneTask<F>;
  tokenizer: BertTokenizer;
  /** Copied into each checkpoint and final/ so that they are complete model directories. */
  vocabFile?: string;
  out: string;
  /** A fresh model for each learning rate (pre-trained encoder + new head, or random init). */
  newModel: () => Promise<BertTaskModel>;
  /** One run per rate (paper: the best of 5e-5, 3e-5, 2e-5 on dev). */
  lrs: readonly number[];
  batchSize: number;
  /** Default: the task's (3, or 2 for SQuAD). */
  epochs?: number;
  maxSteps?: number;
  seed: number;
  resume?: boolean;
  checkpointEvery?: number;
  /** Recorded in each checkpoint's trainer_state.json `config` (beside the rate, batch size, epochs, seed). */
  runConfig?: Record<string, unknown>;
  onEvent?: (e: FineTuneRunEvent) => void | Promise<void>;
  /**
   * The training steps' engine: tfjs (default; the current backend) or ort (ONNX Runtime's CPU kernels through
   * onnxruntime-node, an optional package; the dev set is then predicted on ORT too). The saved model is the tfjs model's either way.
   */
  engine?: 'tfjs' | 'ort';
  /** ORT threads per operator, with engine ort (default: ORT's choice, the physical cores). */
  threads?: number;
}

/** The run's progress: features made, each rate's start, the training loop's events (with the rate), each result. */
export type FineTuneRunEvent =
  | { type: 'features'; task: string; train: number; dev: number; seconds: number }
  | { type: 'run-start'; lr: number; dir: string; resumedAt: number | null }
  | (TrainEvent & { lr: number })
  | { type: 'run-done'; lr: number; scores: Record<string, number>; steps: number; seconds: number };

export interface FineTuneRunResult {
  best: { lr: number; scores: Record<string, number>; dir: string };
  runs: { lr: number; scores: Record<string, number>; steps: number; seconds: number }[];
  baseline: Record<string, number> | null;
  mainMetric: string;
}

export async function runFineTune<F>(o: FineTuneRunOptions<F>): Promise<FineTuneRunResult> {
  const { task, tokenizer } = o;
  const emit = async (e: FineTuneRunEvent) => {
    await o.onEvent?.(e);
  };
  const t0 = performance.now();
  const trainF = task.trainFeatures(tokenizer);
  const devF = task.devFeatures(tokenizer);
  await emit({ type: 'features', task: task.name, train: trainF.length, dev: devF.length, seconds: (performance.now() - t0) / 1000 });
  const baseline = task.baseline();
  const collate = (fs: F[]) => task.collate(fs, tokenizer.padTokenId);
  await mkdir(o.out, { recursive: true });
  const runs: FineTuneRunResult['runs'] = [];
  let best: FineTuneRunResult['best'] | null = null;
  for (const lr of o.lrs) {
    const dir = o.lrs.length > 1 ? join(o.out, `lr-${lr}`) : o.out;
    await mkdir(dir, { recursive: true });
    const ckRoot = join(dir, 'checkpoints');
    const resumed = o.resume ? await resumeFineTune(ckRoot) : null;
    const model = resumed?.model ?? (await o.newModel());
    const config = { lr, batchSize: o.batchSize, epochs: o.epochs ?? task.defaultEpochs, maxSteps: o.maxSteps, seed: o.seed };
    const metrics = new MetricsWriter(join(dir, 'metrics.jsonl'), resumed ? { resumeStep: resumed.resume.step } : { append: false });
    await emit({ type: 'run-start', lr, dir, resumedAt: resumed ? resumed.resume.step : null });
    const started = performance.now();
    try {
      const r = await fineTune({
        model,
        features: trainF,
        collate,
        config,
        resume: resumed?.resume,
        checkpoint: checkpointWriter(ckRoot, model, { vocabFile: o.vocabFile, keepLast: 2, runConfig: { task: task.name, ...o.runConfig, ...config } }),
        checkpointEvery: o.checkpointEvery,
        ...(o.engine === 'ort' ? { runner: (optimizer, clipNorm) => createOrtTaskRunner(model, optimizer, { clipNorm, ...(o.threads !== undefined ? { threads: o.threads } : {}) }) } : {}),
        onEvent: async (e) => {
          metrics.write(e);
          await emit({ ...e, lr });
        },
      });
      const { scores, predictions } = task.evaluate(devF, await devLogits(o, model, devF, collate));
      const final = join(dir, 'final');
      await saveTaskModel(final, model);
      if (o.vocabFile !== undefined && existsSync(o.vocabFile)) await copyFile(o.vocabFile, join(final, 'vocab.txt'));
      await writeFile(join(dir, 'eval.json'), `${JSON.stringify({ task: task.name, lr, steps: r.step, scores, baseline }, null, 1)}\n`);
      await writeFile(join(dir, 'predictions.json'), `${JSON.stringify(predictions)}\n`);
      const seconds = (performance.now() - started) / 1000;
      runs.push({ lr, scores, steps: r.step, seconds });
      await emit({ type: 'run-done', lr, scores, steps: r.step, seconds });
      if (best === null || scores[task.mainMetric] > best.scores[task.mainMetric]) best = { lr, scores, dir: final };
    } finally {
      metrics.close();
      model.dispose();
    }
  }
  const result: FineTuneRunResult = { best: best!, runs, baseline, mainMetric: task.mainMetric };
  await writeFile(join(o.out, 'result.json'), `${JSON.stringify(result, null, 1)}\n`);
  return result;
}

/** The dev set's logits: on ORT with engine ort (the trained weights in an inference session), else on tfjs. */
async function devLogits<F>(o: FineTuneRunOptions<F>, model: BertTaskModel, devF: F[], collate: (fs: F[]) => TaskBatch) {
  if (o.engine !== 'ort') return predictLogits(model, devF, collate, o.batchSize);
  const ort = await ortTaskForward(model, o.threads !== undefined ? { threads: o.threads } : {});
  try {
    return await predictLogits(ort, devF, collate, o.batchSize);
  } finally {
    await ort.dispose();
  }
}
