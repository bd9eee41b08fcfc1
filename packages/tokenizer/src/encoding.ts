// The Encoding returned by encode: HF tokenizers' `Encoding` with camelCase fields.

export interface Encoding {
  /** Token ids. */
  ids: number[];
  /** Token strings (the vocabulary entry of each id). */
  tokens: string[];
  /** Segment ids: 0 for [CLS] A [SEP], 1 for B [SEP]. */
  typeIds: number[];
  /** 1 for real tokens, 0 for padding. */
  attentionMask: number[];
  /** 1 for tokens added by post-processing or padding ([CLS], [SEP], [PAD]); 0 for tokens of the text. */
  specialTokensMask: number[];
  /**
   * [start, end) in UTF-16 code units of the ORIGINAL string of the token's own sequence (see `sequenceIds`);
   * [0, 0] for added special tokens and padding.
   */
  offsets: [number, number][];
  /** Index of the word (pre-token) each token comes from, per sequence; null for special tokens. */
  wordIds: (number | null)[];
  /** 0 = first text, 1 = pair, null = special token or padding. */
  sequenceIds: (number | null)[];
  /** Further windows when truncation with `returnOverflowing` cut the input, in HF tokenizers' order. */
  overflowing: Encoding[];
}
