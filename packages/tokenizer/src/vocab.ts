// vocab.txt parsing and the token <-> id maps.
import { VocabError } from './errors.js';

/**
 * Splits a vocab.txt into tokens, one per line, the line number being the id.
 * Splits on "\n" only and drops one trailing "\r" per line (Rust's `BufRead::lines`, used by HF's
 * `WordPiece::read_file`); never `trim()`s: bert-base-chinese has U+2028 entries (ids 343 and 13502) that
 * `splitlines()`/`trim()` would corrupt, shifting every later id (transformers' `load_vocab` only does
 * `rstrip("\n")`). A final newline does not create an empty token.
 */
export function parseVocabTxt(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Token <-> id maps. On duplicate tokens the last id wins for token -> id, as in HF's HashMap insert. */
export class Vocab {
  readonly tokens: readonly string[];
  readonly map: ReadonlyMap<string, number>;

  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) throw new VocabError('vocabulary: expected at least one token, got 0 lines');
    this.tokens = tokens;
    const map = new Map<string, number>();
    for (let i = 0; i < tokens.length; i++) map.set(tokens[i], i);
    this.map = map;
  }

  /** Builds from a token -> id object (tokenizer.json `model.vocab`); ids may have gaps. */
  static fromObject(obj: Record<string, number>): Vocab {
    const tokens: string[] = [];
    const entries = Object.entries(obj);
    // Ids index an array (and an embedding matrix): a sparse id far beyond the entry count is a broken file.
    const limit = 4 * entries.length + 1024;
    for (const [tok, id] of entries) {
      if (!Number.isInteger(id) || id < 0 || id >= limit) {
        throw new VocabError(`vocab["${tok}"]: expected an integer id in [0, ${limit}), got ${String(id)}`);
      }
      tokens[id] = tok;
    }
    for (let i = 0; i < tokens.length; i++) if (tokens[i] === undefined) tokens[i] = '';
    const v = new Vocab(tokens);
    // Re-insert from the object so that the ids it names win over the '' fillers.
    const map = v.map as Map<string, number>;
    map.delete('');
    for (const [tok, id] of entries) map.set(tok, id);
    return v;
  }

  get size(): number {
    return this.tokens.length;
  }
}
