// One toy training run writing real checkpoints (shared by the in-process and the kill -9 tests).
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import { AdamW } from '../src/adamw.js';
import { makeTrainerState } from '../src/checkpoint.js';
import { latestCheckpoint, loadCheckpoint, loadVariables, saveCheckpoint, variablesWriter } from '../src/checkpoint-node.js';
import { skipItems, train, type TrainResult } from '../src/loop.js';
import { linearWarmupDecay } from '../src/schedule.js';
import { toyData, toyLoss, toyParams } from './toy-task.js';

export interface ToyRunOptions {
  dir: string;
  /** Stop after this step (the run's total is always 12... or `steps` when larger). */
  steps: number;
  resume: boolean;
  checkpointEvery?: number;
  onLoss?: (step: number, loss: number) => void | Promise<void>;
}

export async function runToy(o: ToyRunOptions): Promise<TrainResult> {
  const schedule = linearWarmupDecay({ peakLr: 0.05, warmupSteps: 3, totalSteps: Math.max(12, o.steps) });
  const params = toyParams(o.resume ? 1234 : 7); // a resumed run must get every value from the checkpoint
  const optimizer = new AdamW();
  let rng = new Rng(11);
  let startStep = 0;
  let dataPosition = 0;
  if (o.resume) {
    const ck = await loadCheckpoint((await latestCheckpoint(o.dir))!);
    await loadVariables(ck.dir, params);
    optimizer.setState(ck.optimizer);
    rng = Rng.fromState(ck.state.rngState!);
    startStep = ck.state.step;
    dataPosition = ck.state.dataPosition;
  }
  try {
    return await train({
      params, lossFn: toyLoss(params), data: skipItems(toyData(), dataPosition), optimizer, schedule, steps: o.steps,
      startStep, dataPosition, rng, accumulate: 2, checkpointEvery: o.checkpointEvery ?? 2,
      onEvent: async (e) => {
        if (e.type === 'step') await o.onLoss?.(e.step, e.loss);
      },
      checkpoint: async (req) =>
        saveCheckpoint(o.dir, {
          state: makeTrainerState({ step: req.step, dataPosition: req.dataPosition, rngState: req.rngState, config: { toy: true } }),
          optimizer: await optimizer.getState(),
          writeModel: variablesWriter(params),
          keepLast: 2,
        }),
    });
  } finally {
    tf.dispose([...params.values()]);
    optimizer.dispose();
  }
}
