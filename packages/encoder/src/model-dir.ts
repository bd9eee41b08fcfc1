// Node only (imported by node.ts): a HuggingFace model directory ↔ BertModel. Reads config.json plus
// model.safetensors (or a sharded model.safetensors.index.json, or a legacy pytorch_model.bin); writes
// config.json + model.safetensors with `bert.`-prefixed names, which `BertModel.from_pretrained` and the
// `BertFor*` head classes of transformers load.
import type { Stats } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BertModel } from './bert-model.js';
import { CheckpointError, readSafetensors, readTorchBin, writeSafetensors, type RawTensor } from './checkpoint/index.js';
import { parseConfig, toConfigJson, type BertConfig } from './config.js';
import { ModelDirError, parseJsonFile } from './model-files.js';
import { modelFromTensors, type LoadModelOptions, type LoadedModel } from './model-from-tensors.js';
import { WeightsError, stateDict } from './weights.js';

/** The files of a model directory, as `checkModelDir` found them. */
export interface ModelDirFiles {
  dir: string;
  /** Path of config.json. */
  config: string;
  /** Which HF checkpoint layout the directory uses. */
  format: 'safetensors' | 'sharded-safetensors' | 'torch';
  /** Paths of the checkpoint files (one, or the shards of `model.safetensors.index.json` in order). */
  weights: string[];
}

const WEIGHT_FILES = 'model.safetensors, model.safetensors.index.json or pytorch_model.bin';

async function statOrNull(path: string): Promise<Stats | null> {
  return stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
    throw e;
  });
}

/**
 * Checks that `dir` is a HF model directory — it exists, holds config.json and one of the checkpoint layouts
 * (and every shard an index lists) — without reading any weights. Throws a ModelDirError naming the directory or
 * file at fault. Apps call it first, so that a wrong `--model` is reported as such and not as whatever file
 * (a vocabulary, say) happens to be read first.
 */
export async function checkModelDir(dir: string): Promise<ModelDirFiles> {
  const st = await statOrNull(dir);
  if (st === null) throw new ModelDirError(dir, `a model directory (config.json + ${WEIGHT_FILES})`, 'no such directory');
  if (!st.isDirectory()) throw new ModelDirError(dir, `a model directory (config.json + ${WEIGHT_FILES})`, 'a file');
  const config = join(dir, 'config.json');
  if (!(await statOrNull(config))?.isFile()) throw new ModelDirError(config, 'a BERT config.json', 'no such file');
  return { dir, config, ...(await findCheckpoint(dir)) };
}

/** Which checkpoint files a directory holds, in transformers' order of preference. */
async function findCheckpoint(dir: string): Promise<Pick<ModelDirFiles, 'format' | 'weights'>> {
  const single = join(dir, 'model.safetensors');
  if (await statOrNull(single)) return { format: 'safetensors', weights: [single] };
  const index = join(dir, 'model.safetensors.index.json');
  if (await statOrNull(index)) {
    const json = parseJsonFile(await readFile(index, 'utf8'), index) as { weight_map?: unknown };
    const map = json?.weight_map;
    if (map === null || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((f) => typeof f !== 'string')) {
      throw new ModelDirError(index, 'an object of tensor name → shard file name', describeJson(map), 'weight_map');
    }
    const weights = [...new Set(Object.values(map as Record<string, string>))].sort().map((f) => join(dir, f));
    for (const shard of weights) {
      if (!(await statOrNull(shard))) throw new ModelDirError(shard, `a shard listed in ${index}`, 'no such file');
    }
    return { format: 'sharded-safetensors', weights };
  }
  const bin = join(dir, 'pytorch_model.bin');
  if (await statOrNull(bin)) return { format: 'torch', weights: [bin] };
  const present = (await readdir(dir)).sort();
  throw new ModelDirError(dir, `a checkpoint (${WEIGHT_FILES})`, present.length ? `only ${present.slice(0, 8).join(', ')}${present.length > 8 ? ', ...' : ''}` : 'an empty directory');
}

function describeJson(v: unknown): string {
  return v === undefined ? 'no such key' : (JSON.stringify(v) ?? String(v)).slice(0, 80);
}

/** Reads checkpoint files; a malformed one throws a CheckpointError that names its path. */
async function readWeights(files: string[]): Promise<Map<string, RawTensor>> {
  const out = new Map<string, RawTensor>();
  for (const file of files) {
    const bytes = await readFile(file);
    let tensors: Map<string, RawTensor>;
    try {
      tensors = file.endsWith('.bin') ? readTorchBin(bytes) : readSafetensors(bytes).tensors;
    } catch (e) {
      if (e instanceof CheckpointError) throw new CheckpointError(`${file}: ${e.message}`);
      throw e;
    }
    for (const [k, v] of tensors) out.set(k, v);
  }
  return out;
}

/** Every tensor of the directory's checkpoint, whichever of the HF file layouts it uses. */
export async function readCheckpointDir(dir: string): Promise<Map<string, RawTensor>> {
  const st = await statOrNull(dir);
  if (!st?.isDirectory()) throw new ModelDirError(dir, `a directory holding ${WEIGHT_FILES}`, st ? 'a file' : 'no such directory');
  return readWeights((await findCheckpoint(dir)).weights);
}

/**
 * Loads a HF BERT model directory (any `BertFor*` or `BertModel` checkpoint) into a BertModel. Throws a
 * ModelDirError for a missing directory / file or invalid JSON, a ConfigError naming config.json and the key, a
 * CheckpointError naming the malformed weight file, and a WeightsError for weights that do not fit.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const files = await checkModelDir(dir);
  const config = parseConfig(parseJsonFile(await readFile(files.config, 'utf8'), files.config), files.config);
  const what = files.weights.length === 1 ? files.weights[0] : `${dir} (${files.weights.length} shards)`;
  return modelFromTensors(config, await readWeights(files.weights), what, options);
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
    if (tensors.has(k)) throw new WeightsError(`saveModel extraTensors: expected names outside the encoder's, got ${k} (an encoder weight)`, {
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
