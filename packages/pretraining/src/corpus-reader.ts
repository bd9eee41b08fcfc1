// Node-only streaming corpus reader: a file or a directory of files (google-research/bert's `--input_file` glob),
// read in fixed-size chunks so a corpus larger than memory works; only the current document is held. Every file
// starts a new document (the original script keeps appending to the last document across files; a file boundary
// is a document boundary in every real corpus). Imported only by `node.ts`.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CorpusDecoder, type DecodeReport, type DecoderOptions } from './corpus-decoder.js';
import { DocumentSplitter, type CorpusFormat, type Document } from './corpus.js';

export class CorpusError extends Error {
  override name = 'CorpusError';
}

/** What was read from one file. */
export interface FileReport extends DecodeReport {
  path: string;
  documents: number;
  sentences: number;
  /** Lines dropped as Project Gutenberg header/footer (option `gutenberg`). */
  droppedLines: number;
}

/** What was read so far, over all files. */
export interface CorpusReport {
  files: FileReport[];
  documents: number;
  sentences: number;
  bytes: number;
  invalidBytes: number;
}

export interface ReadCorpusOptions extends DecoderOptions {
  /** Line → document mapping (default `lines`, the google-research/bert format). */
  format?: CorpusFormat;
  /** Drop each file's Project Gutenberg header and footer (default false). */
  gutenberg?: boolean;
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number;
  /** Which files of a directory to read (default: all regular files not starting with '.'). */
  filter?: (path: string) => boolean;
  /** Called after each file with its report (e.g. to warn about replaced bytes). */
  onFile?: (report: FileReport) => void;
}

/** The files a corpus path stands for: the file itself, or a directory's files (recursive, sorted by path). */
export function listCorpusFiles(pathOrDir: string, filter?: (path: string) => boolean): string[] {
  let st;
  try {
    st = statSync(pathOrDir);
  } catch {
    throw new CorpusError(`corpus: expected an existing file or directory, got ${JSON.stringify(pathOrDir)}`);
  }
  if (st.isFile()) return [pathOrDir];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.isFile() && (!filter || filter(p))) out.push(p);
    }
  };
  walk(pathOrDir);
  return out;
}

/** An async iterable of documents whose `report` fills in as it is consumed. */
export class CorpusReader implements AsyncIterable<Document> {
  readonly report: CorpusReport = { files: [], documents: 0, sentences: 0, bytes: 0, invalidBytes: 0 };
  readonly files: string[];

  constructor(
    pathOrDir: string,
    private readonly options: ReadCorpusOptions = {},
  ) {
    const chunk = options.chunkSize ?? 1 << 20;
    if (!Number.isInteger(chunk) || chunk < 1) throw new CorpusError(`corpus chunkSize: expected a positive integer, got ${chunk}`);
    this.files = listCorpusFiles(pathOrDir, options.filter);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Document> {
    for (const path of this.files) yield* this.readFile(path);
  }

  private async *readFile(path: string): AsyncGenerator<Document> {
    const decoder = new CorpusDecoder(this.options);
    const splitter = new DocumentSplitter(this.options.format ?? 'lines', { gutenberg: this.options.gutenberg });
    const file: FileReport = { path, documents: 0, sentences: 0, droppedLines: 0, ...decoder.report };
    const count = (docs: Document[]): Document[] => {
      for (const d of docs) {
        file.documents++;
        file.sentences += d.length;
        this.report.documents++;
        this.report.sentences += d.length;
      }
      return docs;
    };
    const stream = createReadStream(path, { highWaterMark: this.options.chunkSize ?? 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield* count(splitter.push(decoder.push(chunk)));
    }
    yield* count(splitter.push(decoder.end()));
    yield* count(splitter.end());
    Object.assign(file, decoder.report, { firstInvalid: [...decoder.report.firstInvalid], droppedLines: splitter.droppedLines });
    this.report.files.push(file);
    this.report.bytes += file.bytes;
    this.report.invalidBytes += file.invalidBytes;
    this.options.onFile?.(file);
  }
}

/**
 * Streams the documents of a corpus file or directory:
 * `const corpus = readCorpus(path); for await (const doc of corpus) ...; corpus.report`.
 */
export function readCorpus(pathOrDir: string, options: ReadCorpusOptions = {}): CorpusReader {
  return new CorpusReader(pathOrDir, options);
}
