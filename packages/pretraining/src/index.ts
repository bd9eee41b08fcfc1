// Browser-safe entry point of @bertkit/pretraining (no node: imports). Node file readers: '@bertkit/pretraining/node'.
export { CorpusDecoder, decodeCorpusBytes } from './corpus-decoder.js';
export type { DecodeReport, DecoderOptions, InvalidByte } from './corpus-decoder.js';
export { DocumentSplitter, splitDocuments } from './corpus.js';
export type { CorpusFormat, Document } from './corpus.js';
export { brownSentenceText, brownTextDocuments, parseBrown } from './brown.js';
export type { BrownDocument, BrownSentence } from './brown.js';
