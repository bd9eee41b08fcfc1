// Node only: fine-tuning checkpoints through @bertkit/training (atomic `checkpoint-<step>` directories holding a
// complete HF model directory + optimizer + trainer state), and resuming from the newest one.
import { makeTrainerState, type AdamW, type CheckpointRequest } from '@bertkit/training';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint } from '@bertkit/training/node';
import type { FineTuneRun, ResolvedFineTuneConfig } from './runner';
import { loadTaskModel, saveTaskModel } from './model-io';
import type { BertTaskModel } from './task-model';

export interface CheckpointWriterOptions {
  /** Copied into each checkpoint as vocab.txt so it is a complete model directory. */
  vocabFile?: string;
  keepLast?: number;
  /** Recorded in trainer_state.json (`config`). */
  runConfig?: Record<string, unknown>;
}

/** The `checkpoint` callback of `fineTune` writing under `root`. */
export function checkpointWriter(root: string, model: BertTaskModel, options: CheckpointWriterOptions = {}): NonNullable<FineTuneRun<unknown>['checkpoint']> {
  return async (req: CheckpointRequest, optimizer: AdamW) =>
    saveCheckpoint(root, {
      state: makeTrainerState({ step: req.step, dataPosition: req.dataPosition, rngState: req.rngState, config: options.runConfig }),
      optimizer: await optimizer.getState(),
      writeModel: (dir) => saveTaskModel(dir, model),
      vocabFile: options.vocabFile,
      keepLast: options.keepLast,
    });
}

export interface Resumed {
  dir: string;
  model: BertTaskModel;
  resume: NonNullable<FineTuneRun<unknown>['resume']>;
  runConfig?: Partial<ResolvedFineTuneConfig>;
}

/** The newest checkpoint under `root` with its model loaded, or null when there is none. */
export async function resumeFineTune(root: string): Promise<Resumed | null> {
  const dir = await latestCheckpoint(root);
  if (dir === null) return null;
  const ck = await loadCheckpoint(dir);
  const model = await loadTaskModel(dir);
  const { step, dataPosition, rngState } = ck.state;
  return { dir, model, resume: { step, dataPosition, rngState, optimizer: ck.optimizer }, runConfig: ck.state.config as Partial<ResolvedFineTuneConfig> | undefined };
}
