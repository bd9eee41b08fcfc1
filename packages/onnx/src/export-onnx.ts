// Node only (imported by node.ts): export a model directory or a loaded model to ONNX, and write the folder
// layout transformers.js loads: `<out>/config.json`, tokenizer files, `<out>/onnx/model.onnx`.
import { normalizeWeights, parseConfig, stateDict, toConfigJson, type BertConfig, type BertModel, type RawTensor } from '@bertkit/encoder';
import { readCheckpointDir } from '@bertkit/encoder/node';
import { loadTokenizer, saveTokenizer } from '@bertkit/tokenizer/node';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildOnnxModel, type BuildOnnxOptions, type OnnxModel } from './build-model.js';
import { OnnxExportError } from './errors.js';

/**
 * What to export: a HF model directory; a loaded model (`loadModel`'s result: the encoder's current weights
 * are read from `model`, head weights from `tensors`); or a config with a checkpoint map.
 */
export type OnnxSource = string | { config: BertConfig; model?: BertModel; tensors: Map<string, RawTensor> };

/** Files copied from the source directory when present (transformers.js reads tokenizer.json + its config). */
export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

async function resolveSource(source: OnnxSource): Promise<{ config: BertConfig; tensors: Map<string, RawTensor> }> {
  if (typeof source === 'string') {
    const path = join(source, 'config.json');
    if (!existsSync(path)) throw new OnnxExportError('source', `a model directory with config.json`, source);
    const config = parseConfig(JSON.parse(await readFile(path, 'utf8')));
    return { config, tensors: await readCheckpointDir(source) };
  }
  if (source.model === undefined) return source;
  // The model's weights may have changed since loading (fine-tuning): they override the checkpoint's.
  const tensors = normalizeWeights(source.tensors).tensors; // a copy, without `bert.` and legacy gamma/beta
  for (const [k, v] of await stateDict(source.model)) tensors.set(k, v);
  return { config: source.config, tensors };
}

/** Builds the ONNX model (bytes + input / output names) of a directory or a loaded model. */
export async function exportOnnx(source: OnnxSource, options: BuildOnnxOptions = {}): Promise<OnnxModel> {
  const { config, tensors } = await resolveSource(source);
  return buildOnnxModel(config, tensors, options);
}

export interface ExportDirOptions extends BuildOnnxOptions {
  /** Where tokenizer files come from; default: the source when it is a directory. */
  tokenizerDir?: string;
}

export interface ExportDirResult extends OnnxModel {
  /** `<out>/onnx/model.onnx`. */
  modelPath: string;
  /** Every file written, relative to `out`. */
  files: string[];
}

/**
 * Writes `out/config.json`, `out/onnx/model.onnx` and the tokenizer: the files of `tokenizerDir` listed in
 * TOKENIZER_FILES are copied; when it has vocab.txt but no tokenizer.json, one is generated (with
 * tokenizer_config.json) by @bertkit/tokenizer from what transformers would load.
 */
export async function exportOnnxDir(source: OnnxSource, out: string, options: ExportDirOptions = {}): Promise<ExportDirResult> {
  const { config, tensors } = await resolveSource(source);
  const model = buildOnnxModel(config, tensors, options);
  await mkdir(join(out, 'onnx'), { recursive: true });
  const files: string[] = [];
  const modelPath = join(out, 'onnx', 'model.onnx');
  await writeFile(modelPath, model.bytes);
  files.push('onnx/model.onnx');
  await writeFile(join(out, 'config.json'), `${JSON.stringify(toConfigJson(config), null, 2)}\n`);
  files.push('config.json');
  const tokDir = options.tokenizerDir ?? (typeof source === 'string' ? source : undefined);
  if (tokDir !== undefined) {
    const present = TOKENIZER_FILES.filter((f) => existsSync(join(tokDir, f)));
    if (!present.includes('tokenizer.json') && present.includes('vocab.txt')) {
      await saveTokenizer(await loadTokenizer(tokDir), out); // tokenizer.json, vocab.txt, tokenizer_config.json
      files.push('tokenizer.json', 'vocab.txt', 'tokenizer_config.json');
    }
    for (const f of present) {
      await copyFile(join(tokDir, f), join(out, f));
      if (!files.includes(f)) files.push(f);
    }
  }
  return { ...model, modelPath, files };
}
