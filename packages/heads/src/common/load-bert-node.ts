// Node only: an HF model directory on disk → `loadBertFromFiles` (the one loader; see bert-files.ts).
import { readCheckpointDir } from '@bertkit/encoder/node';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBertFromFiles, type LoadBertOptions, type LoadedBert } from './bert-files';
import { HeadConfigError } from './errors';

async function readIfExists(path: string): Promise<string | undefined> {
  return existsSync(path) ? readFile(path, 'utf8') : undefined;
}

/** Loads a model directory (config.json, weights, tokenizer files; `tokenizerDir` when they live elsewhere). */
export async function loadBert(dir: string, options: LoadBertOptions & { tokenizerDir?: string } = {}): Promise<LoadedBert> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HeadConfigError('model directory', 'an existing directory with config.json', `${dir} (${existsSync(dir) ? 'not a directory' : 'does not exist'})`);
  const configJson = await readIfExists(join(dir, 'config.json'));
  if (configJson === undefined) throw new HeadConfigError(`${dir}/config.json`, 'a file (an HF model directory has config.json)', 'none');
  const tdir = options.tokenizerDir ?? dir;
  const [tokenizerJson, vocabTxt, tokenizerConfigJson] = await Promise.all(['tokenizer.json', 'vocab.txt', 'tokenizer_config.json'].map((f) => readIfExists(join(tdir, f))));
  const tensors = await readCheckpointDir(dir);
  return loadBertFromFiles({ source: dir, configJson, tensors, tokenizerJson, vocabTxt, tokenizerConfigJson }, options);
}
