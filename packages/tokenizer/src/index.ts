// @bertkit/tokenizer: WordPiece with exact HuggingFace parity. Browser-safe entry point (no Node built-ins);
// file helpers live in '@bertkit/tokenizer/node'.
export { BertTokenizer } from './bert-tokenizer.js';
export { tokenizerFromFiles, type TokenizerFiles } from './tokenizer-files.js';
export type {
  BertTokenizerInit,
  BertTokenizerOptions,
  DecodeOptions,
  EncodeInput,
  EncodeOptions,
  PaddingOption,
  SpecialTokenNames,
  TruncationOption,
} from './bert-tokenizer.js';
export type { Encoding } from './encoding.js';
export type { AddedToken } from './added-tokens.js';
export type { NormalizerOptions } from './normalizer.js';
export type { PaddingSide } from './padding.js';
export type { TruncationSide, TruncationStrategy } from './truncation.js';
export { VocabError, TokenizerConfigError, TokenizerJsonError, TruncationError } from './errors.js';
export { parseVocabTxt, Vocab } from './vocab.js';
export { decodeWordPieces, cleanupTokenizationSpaces } from './decoder.js';
export { trainWordPiece, TrainerError, type TrainWordPieceOptions, type TrainedVocab, type TrainProgress, type WordSplitter } from './trainer.js';
