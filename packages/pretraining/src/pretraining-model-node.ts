// Node: BertForPreTraining ↔ a HuggingFace model directory. Saving writes the encoder as `bert.*` plus the heads'
// `cls.*` tensors in HF layout (no `cls.predictions.decoder.*`: tied, exactly what `save_pretrained` writes), so
// `BertForPreTraining.from_pretrained(dir)` in transformers loads it, and loading accepts HF's own checkpoints.
import type { Rng } from '@bertkit/backend';
import { loadModel, saveModel } from '@bertkit/encoder/node';
import type { Objective } from './objectives.js';
import { BertForPreTraining } from './pretraining-model.js';

export interface LoadPretrainingOptions {
  /** Default: `mlm+nsp` when the checkpoint has a pooler, else `mlm`. */
  objective?: Objective;
  /** Initialises head weights the checkpoint lacks (e.g. continuing from a plain BertModel checkpoint). */
  rng?: Rng;
}

/** Loads a HF directory (BertForPreTraining, BertForMaskedLM, or BertModel with `rng`) for pre-training. */
export async function loadPretrainingModel(dir: string, options: LoadPretrainingOptions = {}): Promise<BertForPreTraining> {
  const loaded = await loadModel(dir, options.rng ? { rng: options.rng } : {});
  return BertForPreTraining.fromCheckpoint(loaded, options);
}

/** Writes config.json (architectures = BertForPreTraining / BertForMaskedLM) and model.safetensors. */
export async function savePretrainingModel(dir: string, model: BertForPreTraining): Promise<void> {
  await saveModel(dir, model.bert, { extraTensors: model.headTensors(), config: { architectures: [model.architecture()] } });
}
