// Browser-safe entry point of @bertkit/pretraining (no node: imports). Node file readers: '@bertkit/pretraining/node'.
export { CorpusDecoder, decodeCorpusBytes } from './corpus-decoder.js';
export type { DecodeReport, DecoderOptions, InvalidByte } from './corpus-decoder.js';
export { DocumentSplitter, splitDocuments } from './corpus.js';
export type { CorpusFormat, Document } from './corpus.js';
export { brownSentenceText, brownTextDocuments, parseBrown } from './brown.js';
export type { BrownDocument, BrownSentence } from './brown.js';
export { DEFAULT_DATA_OPTIONS, DataConfigError, resolveDataOptions } from './data-config.js';
export type { DataOptions, InstanceOptions, MaskingOptions } from './data-config.js';
export { tokenizeDocument, tokenizeDocuments, vocabInfo } from './instances-vocab.js';
export type { IdDocument, PretrainingTokenizer, VocabInfo } from './instances-vocab.js';
export { createInstances, createInstancesFromDocument, createPairsFromDocument, truncateSeqPair } from './instances.js';
export type { SentencePair, TrainingInstance } from './instances.js';
export { createLtrInstances, createLtrInstancesFromDocument } from './instances-ltr.js';
export { generateInstances, tokenizeStream } from './instances-stream.js';
export type { StreamOptions } from './instances-stream.js';
export { createMaskedLmPredictions, pythonRound } from './masking.js';
export type { MaskedLm } from './masking.js';
