// WordPiece vocabulary training with the semantics of HF tokenizers' WordPieceTrainer (= its BpeTrainer with the
// `##` continuing-subword prefix) and the defaults of HF's `BertWordPieceTokenizer.train` (vocab 30000,
// min_frequency 2, limit_alphabet 1000, special tokens [PAD] [UNK] [CLS] [SEP] [MASK]). Words are split with the
// same BERT normaliser + pre-tokeniser the tokenizer uses, so the vocabulary fits `BertTokenizer.fromVocab`.
import { learnVocab, type MergeProgress } from './trainer-merges.js';
import { TrainerError } from './trainer-error.js';
import { bertWordSplitter } from './trainer-words.js';
import { countWords, type CountProgress, type WordSplitter } from './trainer-word-counts.js';

export { TrainerError } from './trainer-error.js';
export type { WordSplitter } from './trainer-word-counts.js';
export type TrainProgress = CountProgress | MergeProgress;

export interface TrainWordPieceOptions {
  /** Target vocabulary size, special tokens included (default 30000). Reached unless merges run out first. */
  vocabSize?: number;
  /** A pair is merged only if it occurs at least this often (default 2). */
  minFrequency?: number;
  /** Put first, in this order (default [PAD] [UNK] [CLS] [SEP] [MASK]). */
  specialTokens?: readonly string[];
  /** Keep only the N most frequent characters in the alphabet (default 1000); null = keep all. */
  limitAlphabet?: number | null;
  /** Characters always in the alphabet, even unseen (default none). Each must be one code point. */
  initialAlphabet?: readonly string[];
  /** Prefix of word-continuing pieces (default `##`). */
  continuingSubwordPrefix?: string;
  /** BERT normaliser options (HF `BertNormalizer`): defaults lowercase true, stripAccents = lowercase. */
  lowercase?: boolean;
  stripAccents?: boolean;
  handleChineseChars?: boolean;
  cleanText?: boolean;
  /** Replaces normalisation + pre-tokenisation (the options above are then ignored). */
  splitWords?: WordSplitter;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainedVocab {
  /** Tokens in id order. */
  vocab: string[];
  /** `vocab.txt` text (one token per line, `\n`-terminated) for `BertTokenizer.fromVocab`. */
  vocabText: string;
}

/** Largest id the trainer can address (pair keys pack two ids in 24 bits each). */
const MAX_VOCAB = 16_777_216;

function intOption(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TrainerError(`${name}: expected an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

function validate(opts: TrainWordPieceOptions) {
  const vocabSize = intOption('vocabSize', opts.vocabSize ?? 30000, 1, MAX_VOCAB);
  const minFrequency = intOption('minFrequency', opts.minFrequency ?? 2, 0, Number.MAX_SAFE_INTEGER);
  const limit = opts.limitAlphabet === undefined ? 1000 : opts.limitAlphabet;
  const limitAlphabet = limit === null ? undefined : intOption('limitAlphabet', limit, 0, MAX_VOCAB);
  const specialTokens = opts.specialTokens ?? ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  for (const [i, t] of specialTokens.entries()) {
    if (typeof t !== 'string' || t.length === 0 || t.includes('\n')) {
      throw new TrainerError(`specialTokens[${i}]: expected a non-empty string without newline, got ${JSON.stringify(t)}`);
    }
  }
  const initialAlphabet = opts.initialAlphabet ?? [];
  for (const [i, c] of initialAlphabet.entries()) {
    if (typeof c !== 'string' || [...c].length !== 1) {
      throw new TrainerError(`initialAlphabet[${i}]: expected a single character, got ${JSON.stringify(c)}`);
    }
  }
  const prefix = opts.continuingSubwordPrefix ?? '##';
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new TrainerError(`continuingSubwordPrefix: expected a non-empty string, got ${JSON.stringify(prefix)}`);
  }
  return { vocabSize, minFrequency, limitAlphabet, specialTokens, initialAlphabet, continuingSubwordPrefix: prefix };
}

/**
 * Learns a WordPiece vocabulary from `corpus` (texts: lines, sentences or documents; sync or async iterable, read
 * once and lazily). Ids: special tokens, then the alphabet by code point, then `##`-pieces and merged tokens in
 * the order they were created. Deterministic: the same corpus and options give the same vocabulary.
 */
export async function trainWordPiece(
  corpus: Iterable<string> | AsyncIterable<string>,
  options: TrainWordPieceOptions = {},
): Promise<TrainedVocab> {
  const merge = validate(options);
  const split = options.splitWords ?? bertWordSplitter(options);
  const counts = await countWords(corpus, split, options.onProgress);
  const vocab = learnVocab(counts, merge, options.onProgress);
  return { vocab, vocabText: vocab.map((t) => `${t}\n`).join('') };
}
