// Node only (imported by node.ts): a task model ↔ a HuggingFace model directory. Loads any BERT checkpoint
// (BertFor<Task> with its head, or BertModel / BertForPreTraining / BertForMaskedLM whose head is then drawn
// fresh, as `BertForSequenceClassification.from_pretrained` does) and saves one that HF's class loads.
import type { Rng } from '@bertkit/backend';
import { parseConfig } from '@bertkit/encoder';
import { loadModel, saveModel } from '@bertkit/encoder/node';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadConfigError } from './errors';
import { ARCHITECTURES, BertTaskModel, headKindOf, usesPooler, withLabels, type HeadKind } from './task-model';

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

export async function loadTaskModel(dir: string, options: LoadTaskModelOptions = {}): Promise<BertTaskModel> {
  const base = parseConfig(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
  const kind = options.kind ?? headKindOf(base);
  if (kind === null) {
    throw new HeadConfigError(`${dir}/config.json architectures`, `one of ${Object.values(ARCHITECTURES).join(', ')} (or pass kind)`, JSON.stringify(base.architectures ?? null));
  }
  const config = withLabels(base, options.labels, options.problemType);
  const loaded = await loadModel(dir, { addPooler: usesPooler(kind), rng: options.rng });
  if (loaded.report.missing.length > 0 && !options.rng) {
    loaded.model.dispose();
    throw new HeadConfigError(`${dir}`, 'every encoder weight, or an rng to draw the missing ones', `missing ${loaded.report.missing.join(', ')}`);
  }
  const prefix = kind === 'question-answering' ? 'qa_outputs' : 'classifier';
  const hasHead = loaded.tensors.has(`${prefix}.weight`) && loaded.tensors.has(`${prefix}.bias`);
  if (!hasHead && !options.rng) {
    loaded.model.dispose();
    throw new HeadConfigError(`${dir} ${prefix}.weight`, 'a head in the checkpoint, or an rng to draw a new one', 'none');
  }
  const model = new BertTaskModel(config, kind, { encoder: loaded.model, init: hasHead ? 'zeros' : 'truncated-normal', rng: options.rng });
  try {
    if (hasHead) model.head.load(loaded.tensors);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Writes config.json (architectures, id2label, label2id, problem_type) + model.safetensors with HF's names. */
export async function saveTaskModel(dir: string, model: BertTaskModel): Promise<void> {
  const c = model.config;
  await saveModel(dir, model.encoder, {
    extraTensors: model.head.stateDict(),
    config: {
      architectures: [ARCHITECTURES[model.kind]],
      id2label: c.id2label,
      label2id: c.label2id,
      numLabels: c.numLabels,
      extra: { ...model.encoder.config.extra, ...c.extra },
    },
  });
}
