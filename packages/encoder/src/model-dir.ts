// Node only (imported by node.ts): a HuggingFace model directory ↔ BertModel. Reads config.json plus
// model.safetensors (or a sharded model.safetensors.index.json, or a legacy pytorch_model.bin); writes
// config.json + model.safetensors with `bert.`-prefixed names, which `BertModel.from_pretrained` and the
// `BertFor*` head classes of transformers load.
import type { Rng } from '@bertkit/backend';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertModel } from './bert-model.js';
import { readSafetensors, readTorchBin, writeSafetensors, type RawTensor } from './checkpoint/index.js';
import { parseConfig, toConfigJson, type BertConfig } from './config.js';
import { WeightsError, stateDict } from './weights.js';
import { modelFromTensors, type LoadModelOptions, type LoadedModel } from './model-from-tensors.js';

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

/** Every tensor of the directory's checkpoint, whichever of the HF file layouts it uses. */
export async function readCheckpointDir(dir: string): Promise<Map<string, RawTensor>> {
  const single = join(dir, 'model.safetensors');
  if (existsSync(single)) return readSafetensors(await readFile(single)).tensors;
  const index = join(dir, 'model.safetensors.index.json');
  if (existsSync(index)) {
    const map = ((await readJson(index)) as { weight_map?: Record<string, string> }).weight_map ?? {};
    const out = new Map<string, RawTensor>();
    for (const shard of [...new Set(Object.values(map))].sort()) {
      for (const [k, v] of readSafetensors(await readFile(join(dir, shard))).tensors) out.set(k, v);
    }
    return out;
  }
  const bin = join(dir, 'pytorch_model.bin');
  if (existsSync(bin)) return readTorchBin(await readFile(bin));
  throw new WeightsError(`${dir}: no model.safetensors, model.safetensors.index.json or pytorch_model.bin`, {
    missing: [],
    unexpected: [],
    mismatched: [],
    unusedByModel: [],
    ignored: [],
  });
}

/** Loads a HF BERT model directory (any `BertFor*` or `BertModel` checkpoint) into a BertModel. */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const config = parseConfig(await readJson(join(dir, 'config.json')));
  return modelFromTensors(config, await readCheckpointDir(dir), dir, options);
}

export interface SaveModelOptions {
  /** More tensors to write as they are named, e.g. a head's `cls.predictions.bias` or `classifier.weight`. */
  extraTensors?: Map<string, RawTensor>;
  /** Config fields to override in config.json (e.g. `architectures: ['BertForPreTraining']`, `id2label`). */
  config?: Partial<BertConfig>;
}

/** Writes config.json and model.safetensors (encoder weights as `bert.<name>`, F32, metadata format=pt). */
export async function saveModel(dir: string, model: BertModel, options: SaveModelOptions = {}): Promise<void> {
  const config: BertConfig = { ...model.config, ...(options.config ?? {}) };
  if (config.architectures === undefined) config.architectures = ['BertModel'];
  const json = toConfigJson(parseConfig(toConfigJson(config))); // validates the overrides
  const tensors = await stateDict(model, { prefix: 'bert.' });
  for (const [k, v] of options.extraTensors ?? []) {
    if (tensors.has(k)) throw new WeightsError(`saveModel: extra tensor ${k} collides with an encoder weight`, {
      missing: [],
      unexpected: [k],
      mismatched: [],
      unusedByModel: [],
      ignored: [],
    });
    tensors.set(k, v);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(dir, 'model.safetensors'), writeSafetensors(tensors, { format: 'pt' }));
}
