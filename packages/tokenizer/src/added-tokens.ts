// Added tokens recognised in the raw text before normalisation (HF tokenizers `AddedVocabulary::find_matches` with
// `normalized: false`): the text is split around every occurrence, leftmost first and, among tokens starting at
// the same position, the longest (aho-corasick `MatchKind::LeftmostLongest`). Matching is case-sensitive on the
// original text, so "[MASK]" is a special token and "[mask]" is ordinary text even for an uncased model.
// `single_word` drops a match touching a word character (Rust regex Unicode `\w`); `lstrip`/`rstrip` extend the
// token over the whitespace before/after it (the token's offsets include that whitespace, as in HF).

export interface AddedToken {
  content: string;
  id: number;
  /** Special tokens are skipped by `decode(ids, { skipSpecialTokens: true })`. */
  special: boolean;
  singleWord?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Rust regex's Unicode `\w` (UTS #18): Alphabetic, marks, decimal digits, connector punctuation, join controls. */
const WORD_AT_END = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;
const WORD_AT_START = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const SPACE_AT_END = /\p{White_Space}*$/u;
const SPACE_AT_START = /^\p{White_Space}*/u;

export class AddedTokenMatcher {
  readonly tokens: readonly AddedToken[];
  private readonly ids: ReadonlyMap<string, number>;
  private readonly flagged: ReadonlyMap<string, AddedToken>;
  private readonly pattern: RegExp | null;

  constructor(tokens: readonly AddedToken[]) {
    this.tokens = tokens;
    const ids = new Map<string, number>();
    const flagged = new Map<string, AddedToken>();
    for (const t of tokens) {
      if (t.content.length === 0) continue;
      ids.set(t.content, t.id);
      if (t.singleWord || t.lstrip || t.rstrip) flagged.set(t.content, t);
    }
    this.ids = ids;
    this.flagged = flagged;
    // Longest first: a JS alternation takes the first alternative that matches at the leftmost position.
    const contents = [...ids.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length > 0 ? new RegExp(contents.map(escapeRegExp).join('|'), 'g') : null;
  }

  /**
   * Calls `onText(start, end)` for each stretch of ordinary text and `onToken(id, start, end)` for each added
   * token, in order.
   */
  split(
    text: string,
    onText: (start: number, end: number) => void,
    onToken: (id: number, start: number, end: number) => void,
  ): void {
    const re = this.pattern;
    if (re === null || text.length === 0) {
      onText(0, text.length);
      return;
    }
    re.lastIndex = 0;
    let pos = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let start = m.index;
      let stop = start + m[0].length;
      const flags = this.flagged.size > 0 ? this.flagged.get(m[0]) : undefined;
      if (flags !== undefined) {
        if (flags.singleWord) {
          const startSpace = start === 0 || !WORD_AT_END.test(text.slice(Math.max(0, start - 2), start));
          const stopSpace = stop === text.length || !WORD_AT_START.test(text.slice(stop, stop + 2));
          if (!startSpace || !stopSpace) continue;
        }
        if (flags.lstrip) {
          const before = text.slice(pos, start);
          start = Math.max(pos + before.length - (SPACE_AT_END.exec(before)?.[0].length ?? 0), pos);
        }
        if (flags.rstrip) stop += SPACE_AT_START.exec(text.slice(stop))?.[0].length ?? 0;
      }
      if (start > pos) onText(pos, start);
      onToken(this.ids.get(m[0]) as number, start, stop);
      pos = stop;
    }
    if (pos < text.length) onText(pos, text.length);
  }
}
