// Word splitting for the trainer: the tokenizer's own BERT normaliser + pre-tokeniser (HF `BertNormalizer` +
// `BertPreTokenizer`), so that training sees exactly the words that encoding will later look up. The core fuses
// normalisation, pre-tokenisation and WordPiece in one pass (SequenceEncoder); a model that records each word
// instead of splitting it turns that pass into a word splitter without duplicating any normalisation rule.
import { CharNormalizer, type NormalizerOptions } from './normalizer.js';
import { SequenceEncoder } from './sequence-encoder.js';
import type { WordSplitter } from './trainer-word-counts.js';
import type { WordPiece } from './wordpiece.js';

const NO_PIECES = new Int32Array(0);

/** Splits text into normalised words as `BertTokenizer` does before WordPiece (no added-token matching). */
export function bertWordSplitter(options: NormalizerOptions): WordSplitter {
  let words: string[] = [];
  // Not pure: the encoder must call it for every occurrence of a word, never answer from its word cache.
  const recorder = {
    pure: false,
    tokenize(word: string): Int32Array {
      words.push(word);
      return NO_PIECES;
    },
  };
  const normalizer = new CharNormalizer({
    lowercase: options.lowercase,
    stripAccents: options.stripAccents,
    handleChineseChars: options.handleChineseChars,
    cleanText: options.cleanText,
  });
  const encoder = new SequenceEncoder(normalizer, recorder as unknown as WordPiece, null);
  return (text) => {
    words = [];
    encoder.encode(text);
    return words;
  };
}
