// Answer normalisation exactly as the official SQuAD scripts (evaluate-v1.1.py / evaluate-v2.0.py,
// `normalize_answer`): lower → remove punctuation → remove articles → fix whitespace. Every step mirrors a
// Python 3 str operation; where JS differs from Python the difference is handled explicitly (see below).

/** Python's `string.punctuation`: ASCII only (Unicode punctuation such as "–" or "’" is kept, as in the script). */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * Python's `str.split()` separators (`str.isspace()`): JS `\s` lacks U+001C–U+001F and U+0085 and adds U+FEFF,
 * which Python does not treat as whitespace.
 */
// eslint-disable-next-line no-control-regex -- U+001C..U+001F are whitespace for Python's str.split()
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/**
 * `re.sub(r'\b(a|an|the)\b', ' ', text)` with Python 3's Unicode `\b`: a word character is `_` or any character
 * for which `str.isalnum()` holds (letters L*, numbers N*). JS `\b` is ASCII-only, so the boundary is spelled out
 * with look-arounds (e.g. "éthe" must not lose "the": "é" is a word character for Python).
 */
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/** Python `str.split()` with no argument: split on runs of whitespace, drop empty strings. */
export function pySplit(text: string): string[] {
  return text.split(PY_WHITESPACE).filter((t) => t.length > 0);
}

/** `normalize_answer(s)` of the official SQuAD evaluation scripts. */
export function normalizeAnswer(s: string): string {
  const lower = s.toLowerCase();
  let noPunc = '';
  for (const ch of lower) if (!PUNCTUATION.has(ch)) noPunc += ch;
  const noArticles = noPunc.replace(ARTICLES, ' ');
  return pySplit(noArticles).join(' ');
}

/** `get_tokens(s)` of evaluate-v2.0.py: `[]` for an empty string, else the normalised answer split on spaces. */
export function answerTokens(s: string): string[] {
  if (!s) return [];
  return pySplit(normalizeAnswer(s));
}
