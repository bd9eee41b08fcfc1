// Document assembly for the google-research/bert pre-training text format (`create_pretraining_data.py`, "Input
// file format"): one sentence per line, documents separated by blank lines. As there, each line is stripped,
// whitespace-only lines count as blank, and empty documents are dropped. Text arrives in arbitrary chunks (a
// stream), so a line — or a CRLF pair — may be split across chunks; only the current document is held in memory.
// Pure (no node: imports).
import { GutenbergFilter } from './corpus-gutenberg.js';

/** A document: its sentences (non-empty, trimmed), in order. */
export type Document = string[];

/**
 * How lines map to documents:
 * - `lines` (default, google-research/bert): a line is a sentence, a blank line ends the document.
 * - `paragraphs` (hard-wrapped prose such as Project Gutenberg books): the lines of a blank-line separated block
 *   are joined with spaces into one unit, and the whole input (file) is one document.
 * - `wikitext` (WikiText-2/103 raw): one paragraph per line; a ` = Title = ` line starts a new document (article),
 *   ` = = Section = = ` lines are dropped, and the tokenization artefacts ` @-@ `, ` @,@ `, ` @.@ ` are undone.
 */
export type CorpusFormat = 'lines' | 'paragraphs' | 'wikitext';

const WIKI_TITLE = /^= [^=].* =$/;
const WIKI_SECTION = /^=( =)+ .* =( =)+$/;

/** Incremental splitter: `push(text)` returns the documents completed so far, `end()` the last one. */
export class DocumentSplitter {
  private rest = '';
  private doc: string[] = [];
  private paragraph: string[] = [];
  private readonly gutenberg: GutenbergFilter | null;

  /** `gutenberg`: drop Project Gutenberg header and footer (see corpus-gutenberg.ts). */
  constructor(
    private readonly format: CorpusFormat = 'lines',
    options: { gutenberg?: boolean } = {},
  ) {
    if (format !== 'lines' && format !== 'paragraphs' && format !== 'wikitext') {
      throw new RangeError(`corpus format: expected 'lines', 'paragraphs' or 'wikitext', got ${JSON.stringify(format)}`);
    }
    this.gutenberg = options.gutenberg ? new GutenbergFilter() : null;
  }

  /** Lines dropped as Project Gutenberg boilerplate so far. */
  get droppedLines(): number {
    return this.gutenberg?.dropped ?? 0;
  }

  push(text: string): Document[] {
    const buf = this.rest + text;
    let cut = Math.max(buf.lastIndexOf('\n'), buf.lastIndexOf('\r'));
    // A trailing CR may be the first half of a CRLF whose LF is in the next chunk: keep it back.
    if (cut === buf.length - 1 && buf[cut] === '\r') {
      cut = cut === 0 ? -1 : Math.max(buf.lastIndexOf('\n', cut - 1), buf.lastIndexOf('\r', cut - 1));
    }
    if (cut < 0) {
      this.rest = buf;
      return [];
    }
    this.rest = buf.slice(cut + 1);
    const out: Document[] = [];
    let lines = buf.slice(0, cut + 1).split(/\r\n|\r|\n/);
    lines.pop(); // the '' after the last line ending
    if (this.gutenberg) lines = this.gutenberg.push(lines);
    for (const line of lines) this.line(line, out);
    return out;
  }

  end(): Document[] {
    const out: Document[] = [];
    const last = this.rest.length > 0 ? [this.rest.replace(/\r$/, '')] : [];
    this.rest = '';
    const lines = this.gutenberg ? [...this.gutenberg.push(last), ...this.gutenberg.end()] : last;
    for (const line of lines) this.line(line, out);
    this.flushParagraph();
    this.flushDocument(out);
    return out;
  }

  private line(raw: string, out: Document[]): void {
    const line = raw.trim();
    if (this.format === 'wikitext') {
      if (WIKI_TITLE.test(line)) this.flushDocument(out);
      else if (line.length > 0 && !WIKI_SECTION.test(line)) this.doc.push(line.replace(/ @([-,.])@ /g, '$1'));
    } else if (this.format === 'lines') {
      if (line.length > 0) this.doc.push(line);
      else this.flushDocument(out);
    } else if (line.length > 0) {
      this.paragraph.push(line);
    } else {
      this.flushParagraph();
    }
  }

  private flushParagraph(): void {
    if (this.paragraph.length > 0) this.doc.push(this.paragraph.join(' '));
    this.paragraph = [];
  }

  private flushDocument(out: Document[]): void {
    if (this.doc.length > 0) out.push(this.doc);
    this.doc = [];
  }
}

/** Splits a whole text into documents (see `DocumentSplitter`). */
export function splitDocuments(text: string, format: CorpusFormat = 'lines', options: { gutenberg?: boolean } = {}): Document[] {
  const s = new DocumentSplitter(format, options);
  return [...s.push(text), ...s.end()];
}
