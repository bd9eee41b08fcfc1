// ModelFiles → the model the page runs: @bertkit/heads' `loadBertFromFiles` (the one loader, as `bert` and the
// server use through `loadBert`) builds the encoder on the current backend, the tokenizer from the directory's
// tokenizer files (tokenizer_config.json's special tokens and casing, the cased-vocabulary rule), the masked-LM
// head and the task head config.json names. The page keeps the files to rebuild the model on another backend.
import { loadBertFromFiles, type LoadedBert } from '@bertkit/heads';
import type { ModelFiles } from './model-files';

export interface AppModel extends LoadedBert {
  files: ModelFiles;
  /** Where the weights came from, shown as a badge ("pre-trained on Brown", "trained in the browser", ...). */
  label: string;
}

export function buildModel(files: ModelFiles, label: string): AppModel {
  return Object.assign(loadBertFromFiles(files), { files, label });
}
