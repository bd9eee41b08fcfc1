// Added tokens recognised in the raw text before normalisation (HF tokenizers `AddedVocabulary` with
// `normalized: false`): the text is split around every occurrence, leftmost first and, among tokens starting at
// the same position, the longest (aho-corasick `MatchKind::LeftmostLongest`). Matching is case-sensitive on the
// original text, so "[MASK]" is a special token and "[mask]" is ordinary text even for an uncased model.

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

export class AddedTokenMatcher {
  readonly tokens: readonly AddedToken[];
  private readonly ids: ReadonlyMap<string, number>;
  private readonly pattern: RegExp | null;

  constructor(tokens: readonly AddedToken[]) {
    this.tokens = tokens;
    const ids = new Map<string, number>();
    for (const t of tokens) if (t.content.length > 0) ids.set(t.content, t.id);
    this.ids = ids;
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
      if (m.index > pos) onText(pos, m.index);
      const end = m.index + m[0].length;
      onToken(this.ids.get(m[0]) as number, m.index, end);
      pos = end;
    }
    if (pos < text.length) onText(pos, text.length);
  }
}
