// conlleval's chunk logic (the CoNLL shared-task perl script, 2004-01-26 version): `startOfChunk` and
// `endOfChunk` over (previous tag, tag, previous type, type), including its IOB1 semantics (`I-X` after `O` or
// another type opens a chunk), the IOE/bracket tags it also accepts (`E`, `[`, `]`, `.`) and its tag splitting.

/** A tag split as conlleval does: `/^([^-]*)-(.*)$/` (prefix before the FIRST hyphen, so types may hold hyphens). */
export interface SplitTag {
  tag: string;
  type: string;
}

/** Perl truthiness of a string: "" and "0" are false (conlleval writes `$type ? $type : ""`). */
export function perlTrue(s: string | undefined): boolean {
  return s !== undefined && s !== '' && s !== '0';
}

export function splitTag(raw: string): SplitTag {
  const m = /^([^-]*)-(.*)$/.exec(raw);
  const [tag, type] = m ? [m[1], m[2]] : [raw, ''];
  return { tag, type: perlTrue(type) ? type : '' };
}

/** conlleval `endOfChunk`: does a chunk end between the previous token and this one? */
export function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  let end = false;
  if (prevTag === 'B' && tag === 'B') end = true;
  if (prevTag === 'B' && tag === 'O') end = true;
  if (prevTag === 'I' && tag === 'B') end = true;
  if (prevTag === 'I' && tag === 'O') end = true;
  if (prevTag === 'E' && tag === 'E') end = true;
  if (prevTag === 'E' && tag === 'I') end = true;
  if (prevTag === 'E' && tag === 'O') end = true;
  if (prevTag !== 'O' && prevTag !== '.' && prevType !== type) end = true;
  // "corrected 1998-12-22: these chunks are assumed to have length 1"
  if (prevTag === ']') end = true;
  if (prevTag === '[') end = true;
  return end;
}

/** conlleval `startOfChunk`: does a chunk start at this token? */
export function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  let start = false;
  if (prevTag === 'B' && tag === 'B') start = true;
  if (prevTag === 'I' && tag === 'B') start = true;
  if (prevTag === 'O' && tag === 'B') start = true;
  if (prevTag === 'O' && tag === 'I') start = true;
  if (prevTag === 'E' && tag === 'E') start = true;
  if (prevTag === 'E' && tag === 'I') start = true;
  if (prevTag === 'O' && tag === 'E') start = true;
  if (tag !== 'O' && tag !== '.' && prevType !== type) start = true;
  if (tag === '[') start = true;
  if (tag === ']') start = true;
  return start;
}

/** An entity span `[start, end)` in token indices. */
export interface Chunk {
  type: string;
  start: number;
  end: number;
}

/** Chunks of one sentence as conlleval delimits them (the sentence is preceded and followed by `O`). */
export function chunksOf(tags: readonly string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let prev: SplitTag = { tag: 'O', type: '' };
  let open: Chunk | null = null;
  const step = (cur: SplitTag, i: number) => {
    if (open && (endOfChunk(prev.tag, cur.tag, prev.type, cur.type) || startOfChunk(prev.tag, cur.tag, prev.type, cur.type))) {
      open.end = i;
      chunks.push(open);
      open = null;
    }
    if (startOfChunk(prev.tag, cur.tag, prev.type, cur.type)) open = { type: cur.type, start: i, end: i + 1 };
    prev = cur;
  };
  tags.forEach((t, i) => step(splitTag(t), i));
  step({ tag: 'O', type: '' }, tags.length);
  return chunks;
}
