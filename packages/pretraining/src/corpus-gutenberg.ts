// Project Gutenberg boilerplate removal for the `gutenberg` corpus option. Every PG file wraps the book in a
// header (title page, licence, for old "Etexts" a "SMALL PRINT" section) and a footer (licence), which must not
// become pre-training text. The body starts after the LAST start marker found in the first `headerLines` lines:
//   modern `*** START OF THE/THIS PROJECT GUTENBERG EBOOK … ***`, old `*END*THE SMALL PRINT! …*END*`;
// and ends at the first end marker: `*** END OF THE/THIS PROJECT GUTENBERG EBOOK … ***` or old
// `End of (The) Project Gutenberg Etext/EBook …` or `End of Project Gutenberg's …`. A file without a start
// marker in its header keeps its beginning.
// Streaming: only the first `headerLines` lines are ever buffered. Pure (no node: imports).

const START = [/^\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG/i, /^\*END\*?\s*THE SMALL PRINT/i];
const END = [/^\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG/i, /^End of (the )?Project Gutenberg('s|’s| E-?(text|book))/i];

/** Line filter that keeps only the body of one Project Gutenberg file. */
export class GutenbergFilter {
  private header: string[] | null = [];
  private ended = false;
  /** Lines dropped as header / footer, for reports. */
  dropped = 0;

  constructor(private readonly headerLines = 600) {}

  /** Returns the lines of `lines` that belong to the body (possibly delayed while the header is buffered). */
  push(lines: readonly string[]): string[] {
    const out: string[] = [];
    for (const line of lines) {
      if (this.header) {
        this.header.push(line);
        if (this.header.length >= this.headerLines) this.releaseHeader(out);
        continue;
      }
      this.body(line, out);
    }
    return out;
  }

  end(): string[] {
    const out: string[] = [];
    if (this.header) this.releaseHeader(out);
    return out;
  }

  private releaseHeader(out: string[]): void {
    const h = this.header!;
    this.header = null;
    let start = 0;
    h.forEach((line, i) => {
      if (START.some((re) => re.test(line.trim()))) start = i + 1;
    });
    this.dropped += start;
    for (let i = start; i < h.length; i++) this.body(h[i], out);
  }

  private body(line: string, out: string[]): void {
    if (!this.ended && END.some((re) => re.test(line.trim()))) this.ended = true;
    if (this.ended) this.dropped++;
    else out.push(line);
  }
}
