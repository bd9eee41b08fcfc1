// Reader for the CoNLL-2003 column format (`word POS chunk NER`, one token per line, blank line between
// sentences, `-DOCSTART- …` + blank line opening each document). Works for the IOB1 originals (eng.*) and the
// IOB2 redistribution (train/valid/test.txt); the scheme is not guessed — see iob.ts to convert.

/** A malformed CoNLL file: the message names the line, the expected and the actual value. */
export class ConllFormatError extends Error {
  override name = 'ConllFormatError';
}

export interface ConllSentence {
  /** Index of the document (`-DOCSTART-` block) the sentence belongs to; -1 before the first `-DOCSTART-`. */
  doc: number;
  words: string[];
  /** The columns between the word and the tag (POS and chunk for CoNLL-2003). */
  features: string[][];
  /** The last column (the NER tag). */
  tags: string[];
}

export interface ConllDataset {
  sentences: ConllSentence[];
  /** Number of `-DOCSTART-` lines. */
  documents: number;
}

/**
 * Parses CoNLL column text. Fields are split on runs of spaces/tabs; every token line must have `columns` fields
 * (default: as many as the first token line). `-DOCSTART-` lines (first field only; the other fields vary between
 * the original files) start a document and are not tokens.
 */
export function parseConll(text: string, options: { columns?: number } = {}): ConllDataset {
  const sentences: ConllSentence[] = [];
  let columns = options.columns;
  let doc = -1;
  let documents = 0;
  let cur: ConllSentence | null = null;
  const flush = () => {
    if (cur && cur.words.length > 0) sentences.push(cur);
    cur = null;
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      flush();
      continue;
    }
    const fields = line.trim().split(/[ \t]+/);
    if (fields[0] === '-DOCSTART-') {
      flush();
      doc++;
      documents++;
      continue;
    }
    if (columns === undefined) columns = fields.length;
    if (fields.length !== columns || columns < 2) {
      throw new ConllFormatError(`CoNLL line ${i + 1}: expected ${columns} fields (word … tag), got ${fields.length}: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const c: ConllSentence = cur ?? (cur = { doc, words: [], features: [], tags: [] });
    c.words.push(fields[0]);
    c.features.push(fields.slice(1, -1));
    c.tags.push(fields[fields.length - 1]);
  }
  flush();
  return { sentences, documents };
}

/** Counts of a dataset: documents, sentences, tokens and entities (chunks) per type. */
export interface ConllStats {
  documents: number;
  sentences: number;
  tokens: number;
  entities: Record<string, number>;
}
