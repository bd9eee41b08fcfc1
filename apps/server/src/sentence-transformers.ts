// The sentence-transformers files TEI reads next to a checkpoint: `1_Pooling/config.json` (which pooling the
// model was trained with) and `config_sentence_transformers.json` (named prompts for `prompt_name`). Both are
// optional; without them the TEI routes pool with the mean and know no prompts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerConfigError } from './errors.js';

export interface SentenceTransformersConfig {
  /** Pooling from 1_Pooling/config.json (cls or mean), or null when the folder has none. */
  pooling: 'cls' | 'mean' | null;
  /** Named prompts prepended to the text (`prompt_name`), or null. */
  prompts: Record<string, string> | null;
}

function readJson(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ServerConfigError(file, 'a JSON file', `unparsable JSON (${(e as Error).message})`);
  }
}

export function readSentenceTransformersConfig(dir: string): SentenceTransformersConfig {
  const pool = readJson(join(dir, '1_Pooling', 'config.json'));
  let pooling: SentenceTransformersConfig['pooling'] = null;
  if (pool !== null) {
    if (pool.pooling_mode_cls_token === true) pooling = 'cls';
    else if (pool.pooling_mode_mean_tokens === true) pooling = 'mean';
    else throw new ServerConfigError(join(dir, '1_Pooling', 'config.json'), 'pooling_mode_cls_token or pooling_mode_mean_tokens true', JSON.stringify(pool));
  }
  const st = readJson(join(dir, 'config_sentence_transformers.json'));
  const prompts = st !== null && typeof st.prompts === 'object' && st.prompts !== null ? (st.prompts as Record<string, string>) : null;
  return { pooling, prompts };
}
