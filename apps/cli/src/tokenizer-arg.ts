// `--vocab <vocab.txt|dir>` as the data and training commands take it: a model/tokenizer directory (its
// tokenizer.json / tokenizer_config.json decide casing) or a bare vocab.txt (casing guessed as loadTokenizer does).
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { UsageError } from './command.js';

/** Loads the tokenizer and returns the vocab.txt path next to it (copied into checkpoints). */
export async function tokenizerFromArg(option: string, path: string): Promise<{ tokenizer: BertTokenizer; dir: string; vocabFile: string }> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`--${option}: expected a vocab.txt file or a tokenizer directory, got '${path}' (not found)`);
  }
  const dir = st.isDirectory() ? path : dirname(path);
  if (st.isFile() && !path.endsWith('vocab.txt')) {
    throw new UsageError(`--${option}: expected a file named vocab.txt or a directory, got '${path}'`);
  }
  const tokenizer = await loadTokenizer(dir);
  return { tokenizer, dir, vocabFile: join(dir, 'vocab.txt') };
}
