// Node only (imported by node.ts): a task model ↔ a HuggingFace model directory. Loads any BERT checkpoint
// (BertFor<Task> with its head, or BertModel / BertForPreTraining / BertForMaskedLM whose head is then drawn
// fresh, as `BertForSequenceClassification.from_pretrained` does) and saves one that HF's class loads.
import type { Rng } from '@bertkit/backend';
import { modelFromTensors, parseConfig, parseJsonFile } from '@bertkit/encoder';
import { readCheckpointDir, saveModel } from '@bertkit/encoder/node';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadConfigError } from './errors';
import { ARCHITECTURES, headKindOf, usesPooler, withLabels, type BertTaskModel, type HeadKind } from './task-model';
import { taskModelOf } from './bert-files';

export interface LoadTaskModelOptions {
  /** The head to build; default: the one config.json `architectures` names. */
  kind?: HeadKind;
  /** Label names for a fresh head (sets id2label / label2id / numLabels); must match a loaded head's size. */
  labels?: string[];
  /** HF `problem_type` (e.g. `regression` for STS-B with one label). */
  problemType?: 'regression' | 'single_label_classification' | 'multi_label_classification';
  /** Draws weights absent from the checkpoint (the new head, a missing pooler). Required when any is absent. */
  rng?: Rng;
}

/** A model directory → BertFor<Task> (no tokenizer needed; `loadBert` loads one with its tokenizer). */
export async function loadTaskModel(dir: string, options: LoadTaskModelOptions = {}): Promise<BertTaskModel> {
  const configFile = join(dir, 'config.json');
  const base = parseConfig(parseJsonFile(await readFile(configFile, 'utf8'), configFile), configFile);
  const kind = options.kind ?? headKindOf(base);
  if (kind === null) {
    throw new HeadConfigError(`${dir}/config.json architectures`, `one of ${Object.values(ARCHITECTURES).join(', ')} (or pass kind)`, JSON.stringify(base.architectures ?? null));
  }
  const config = withLabels(base, options.labels, options.problemType);
  const loaded = modelFromTensors(config, await readCheckpointDir(dir), dir, { addPooler: usesPooler(kind), rng: options.rng });
  try {
    return taskModelOf(loaded, kind, dir, options.rng);
  } catch (e) {
    loaded.model.dispose();
    throw e;
  }
}

/** Writes config.json (architectures, id2label, label2id, problem_type) + model.safetensors with HF's names. */
export async function saveTaskModel(dir: string, model: BertTaskModel): Promise<void> {
  const c = model.config;
  await saveModel(dir, model.encoder, {
    extraTensors: await model.head.stateDict(),
    config: {
      architectures: [ARCHITECTURES[model.kind]],
      id2label: c.id2label,
      label2id: c.label2id,
      numLabels: c.numLabels,
      extra: { ...model.encoder.config.extra, ...c.extra },
    },
  });
}
