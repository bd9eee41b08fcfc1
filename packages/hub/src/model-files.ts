/**
 * Which files of a repository a BERT needs: config.json; one set of weights (model.safetensors, else the shards
 * of model.safetensors.index.json, else pytorch_model.bin — the order transformers prefers); the tokenizer files
 * that exist. A repository holds many more (tf_model.h5, flax_model.msgpack, onnx/, coreml/) that we never fetch.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HubError } from './errors.js';
import { isFile } from './cache-layout.js';

export const CONFIG_FILE = 'config.json';
export const SAFETENSORS_FILE = 'model.safetensors';
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';
export const TORCH_FILE = 'pytorch_model.bin';
export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export interface SelectedFiles {
  /** Files to fetch now. */
  files: string[];
  /** True when the weights are sharded: the shards named by the index are fetched after it. */
  sharded: boolean;
}

/**
 * The files to fetch from a repository whose root holds `paths`. `requested` overrides the BERT selection; each
 * requested file must exist.
 */
export function selectModelFiles(
  paths: ReadonlySet<string>,
  repoId: string,
  requested?: readonly string[],
): SelectedFiles {
  const missing = (file: string, why: string) =>
    new HubError('file-not-found', `repository '${repoId}' has no ${file}${why}`, { repoId, file });
  if (requested) {
    for (const f of requested) if (!paths.has(f)) throw missing(f, ' (asked for in options.files)');
    return { files: [...requested], sharded: false };
  }
  if (!paths.has(CONFIG_FILE)) throw missing(CONFIG_FILE, ': it is not a transformers model');
  const files = [CONFIG_FILE];
  let sharded = false;
  if (paths.has(SAFETENSORS_FILE)) files.push(SAFETENSORS_FILE);
  else if (paths.has(SAFETENSORS_INDEX_FILE)) {
    files.push(SAFETENSORS_INDEX_FILE);
    sharded = true;
  } else if (paths.has(TORCH_FILE)) files.push(TORCH_FILE);
  else throw missing(`${SAFETENSORS_FILE}, ${SAFETENSORS_INDEX_FILE} or ${TORCH_FILE}`, ': no weights to load');
  files.push(...TOKENIZER_FILES.filter((f) => paths.has(f)));
  return { files, sharded };
}

/** The shard files a model.safetensors.index.json names, sorted. */
export async function shardFiles(indexPath: string): Promise<string[]> {
  const index = JSON.parse(await readFile(indexPath, 'utf8')) as { weight_map?: Record<string, string> };
  return [...new Set(Object.values(index.weight_map ?? {}))].sort();
}

/**
 * What a cached snapshot lacks to be used without asking the hub: the requested files, or else config.json,
 * weights, and a vocabulary (vocab.txt or tokenizer.json). A snapshot Python filled with AutoModel and
 * AutoTokenizer passes. Empty when complete.
 */
export async function snapshotMissing(dir: string, requested?: readonly string[]): Promise<string[]> {
  const has = (f: string) => isFile(join(dir, f));
  if (requested) {
    const flags = await Promise.all(requested.map(has));
    return requested.filter((_, i) => !flags[i]);
  }
  const missing: string[] = [];
  if (!(await has(CONFIG_FILE))) missing.push(CONFIG_FILE);
  if (await has(SAFETENSORS_FILE)) {
    // complete
  } else if (await has(SAFETENSORS_INDEX_FILE)) {
    for (const shard of await shardFiles(join(dir, SAFETENSORS_INDEX_FILE)))
      if (!(await has(shard))) missing.push(shard);
  } else if (!(await has(TORCH_FILE))) missing.push(`${SAFETENSORS_FILE} or ${TORCH_FILE}`);
  if (!(await has('vocab.txt')) && !(await has('tokenizer.json'))) missing.push('vocab.txt or tokenizer.json');
  return missing;
}
