// Node: BertForPreTraining ↔ a HuggingFace model directory. Saving writes the encoder as `bert.*` plus the heads'
// `cls.*` tensors in HF layout (no `cls.predictions.decoder.*`: tied, exactly what `save_pretrained` writes), so
// `BertForPreTraining.from_pretrained(dir)` in transformers loads it, and loading accepts HF's own checkpoints.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '@bertkit/backend';
import { loadModel, saveModel } from '@bertkit/encoder/node';
import { makeTrainerState, type AdamW, type AdamWState, type CheckpointRequest, type TrainerState } from '@bertkit/training';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint } from '@bertkit/training/node';
import type { Objective } from './objectives.js';
import { BertForPreTraining } from './pretraining-model.js';

export interface LoadPretrainingOptions {
  /** Default: `mlm+nsp` when the checkpoint has a pooler, else `mlm`. */
  objective?: Objective;
  /** Initialises head weights the checkpoint lacks (e.g. continuing from a plain BertModel checkpoint). */
  rng?: Rng;
  /** Deepen to this many encoder layers, layer i from the checkpoint's layer i mod L (progressive stacking). */
  numLayers?: number;
}

/** Loads a HF directory (BertForPreTraining, BertForMaskedLM, or BertModel with `rng`) for pre-training. */
export async function loadPretrainingModel(dir: string, options: LoadPretrainingOptions = {}): Promise<BertForPreTraining> {
  const loaded = await loadModel(dir, {
    ...(options.rng ? { rng: options.rng } : {}),
    ...(options.numLayers !== undefined ? { numLayers: options.numLayers } : {}),
  });
  return BertForPreTraining.fromCheckpoint(loaded, options);
}

/** Writes config.json (architectures = BertForPreTraining / BertForMaskedLM) and model.safetensors. */
export async function savePretrainingModel(dir: string, model: BertForPreTraining): Promise<void> {
  await saveModel(dir, model.bert, { extraTensors: await model.headTensors(), config: { architectures: [model.architecture()] } });
}

export interface PretrainingCheckpointOptions {
  /** Copied into every checkpoint as vocab.txt, so each one is a complete HF directory. */
  vocabFile?: string;
  /** Keep only the newest N checkpoints. */
  keepLast?: number;
  /** The run's configuration (stored in trainer_state.json for `bert pretrain --resume`). */
  config?: Record<string, unknown>;
  schedule?: Record<string, unknown>;
  /** Extra resume state, e.g. a shard reader's position, read when each checkpoint is written. */
  extra?: () => Record<string, unknown>;
}

/**
 * A `checkpoint` callback for `train()` that writes `<root>/checkpoint-<step>` atomically: the model as an HF
 * directory (config.json with `architectures`, model.safetensors with `cls.*`), vocab.txt, optimizer moments
 * and trainer state.
 */
export function pretrainingCheckpointer(
  root: string,
  model: BertForPreTraining,
  optimizer: AdamW,
  options: PretrainingCheckpointOptions = {},
): (req: CheckpointRequest) => Promise<string> {
  return async (req) =>
    saveCheckpoint(root, {
      state: makeTrainerState({
        step: req.step,
        dataPosition: req.dataPosition,
        rngState: req.rngState,
        config: { objective: model.objective, ...(options.config ?? {}) },
        ...(options.schedule ? { schedule: options.schedule } : {}),
        ...(options.extra ? { extra: options.extra() } : {}),
      }),
      optimizer: await optimizer.getState(),
      writeModel: (dir) => savePretrainingModel(dir, model),
      vocabFile: options.vocabFile,
      keepLast: options.keepLast,
    });
}

export interface ResumedPretraining {
  model: BertForPreTraining;
  /** Restored into a fresh AdamW with `optimizer.setState(state.optimizer)`. */
  optimizer: AdamWState;
  state: TrainerState;
  dir: string;
}

/** Loads the newest checkpoint under `root` (or `root` itself when it is a checkpoint); null when there is none. */
export async function resumePretraining(root: string, options: LoadPretrainingOptions = {}): Promise<ResumedPretraining | null> {
  const dir = existsSync(join(root, 'trainer_state.json')) ? root : await latestCheckpoint(root);
  if (dir === null) return null;
  const ck = await loadCheckpoint(dir);
  const objective = options.objective ?? (ck.state.config?.objective as Objective | undefined);
  const model = await loadPretrainingModel(dir, { ...options, ...(objective ? { objective } : {}) });
  return { model, optimizer: ck.optimizer, state: ck.state, dir };
}
