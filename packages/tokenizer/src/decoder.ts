// WordPiece decoding (HF tokenizers decoders/wordpiece.rs): pieces starting with the continuation prefix are
// glued to the previous token, the others are preceded by a space; then `cleanup` removes the spaces that
// tokenisation put before punctuation and English contractions.

/** HF's `cleanup` (the same as transformers' `clean_up_tokenization`). */
export function cleanupTokenizationSpaces(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/**
 * Joins WordPiece tokens into text. With `cleanup`, HF tokenizers' decoder cleans each token and transformers'
 * `decode(..., clean_up_tokenization_spaces=True)` (the default in bert-base-uncased's tokenizer_config.json)
 * cleans the joined string again, which catches the patterns that span tokens (" ' ", " n't", " do not").
 */
export function decodeWordPieces(tokens: readonly string[], prefix = '##', cleanup = true): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    let t = tokens[i];
    if (i !== 0) t = prefix.length > 0 && t.startsWith(prefix) ? t.slice(prefix.length) : ' ' + t;
    out += cleanup ? cleanupTokenizationSpaces(t) : t;
  }
  return cleanup ? cleanupTokenizationSpaces(out) : out;
}
