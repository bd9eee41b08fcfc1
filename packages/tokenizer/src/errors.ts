// Typed errors, one class per family, each message naming the field, the expected and the actual value.

/** A vocabulary that cannot be used: missing [UNK], a special token absent, an empty file. */
export class VocabError extends Error {
  override name = 'VocabError';
}

/** An invalid option passed to the tokenizer or to encode (e.g. stride >= maxLength). */
export class TokenizerConfigError extends Error {
  override name = 'TokenizerConfigError';
}

/** A tokenizer.json / tokenizer_config.json that is malformed or uses a component bertkit does not implement. */
export class TokenizerJsonError extends Error {
  override name = 'TokenizerJsonError';
}

/** Truncation that HF tokenizers also refuses (second sequence missing, sequence too short to remove from). */
export class TruncationError extends Error {
  override name = 'TruncationError';
}
