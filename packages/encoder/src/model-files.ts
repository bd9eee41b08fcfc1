// What the files of a HuggingFace model directory must be and agree on, checked before anything is built from
// them: the directory exists, config.json is valid JSON, a checkpoint file is there, and the tokenizer's
// vocabulary fits the model's word-embedding table. Browser-safe (no fs): the Node loader (model-dir.ts) and the
// apps, which load the tokenizer themselves, call these with the paths or names they read.
import type { BertConfig } from './config.js';

/** A model directory or one of its files is absent, unreadable or inconsistent with another. */
export class ModelDirError extends Error {
  override readonly name = 'ModelDirError';
  constructor(
    /** The directory or file at fault. */
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
    /** The field inside the file (a JSON key), when one is at fault. */
    readonly field?: string,
  ) {
    super(`${path}${field === undefined ? '' : ` ${field}`}: expected ${expected}, got ${actual}`);
  }
}

/** JSON.parse with the file named: a ModelDirError (expected valid JSON, got what JSON.parse said). */
export function parseJsonFile(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelDirError(path, 'valid JSON', `${(e as Error).message}`);
  }
}

export interface VocabSizeFiles {
  /** Where the vocabulary came from (default `vocab.txt`). */
  vocab?: string;
  /** Where the config came from (default `config.json`). */
  config?: string;
}

/**
 * Throws a ModelDirError naming both files when the tokenizer's vocabulary has more tokens than the model's
 * word-embedding table (`vocab_size`): a token id ≥ vocab_size would index past it (tfjs's gather returns zeros
 * or garbage instead of failing). A smaller vocabulary is fine, as in HF (tables padded to a multiple of 8, or
 * rows reserved for added tokens).
 */
export function checkVocabSize(config: Pick<BertConfig, 'vocabSize'>, vocabSize: number, files: VocabSizeFiles = {}): void {
  const vocab = files.vocab ?? 'vocab.txt';
  const configFile = files.config ?? 'config.json';
  if (!Number.isInteger(vocabSize) || vocabSize < 1) {
    throw new ModelDirError(vocab, 'a vocabulary of at least one token', `${vocabSize} tokens`);
  }
  if (vocabSize > config.vocabSize) {
    throw new ModelDirError(
      vocab,
      `at most ${config.vocabSize} tokens (vocab_size in ${configFile}, the rows of the word-embedding table)`,
      `${vocabSize} tokens: ids ${config.vocabSize}..${vocabSize - 1} have no embedding`,
    );
  }
}
