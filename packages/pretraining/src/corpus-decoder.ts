// Streaming, never-failing text decoder for corpus files. Real corpora mix encodings: Project Gutenberg books start
// with a UTF-8 BOM and use CRLF, and older texts carry stray Latin-1 bytes (NLTK's chesterton-ball.txt has
// "Bruneti\xe8re", "caf\xe9"). google-research/bert's `convert_to_unicode` would raise on such bytes (Python
// `decode("utf-8", "ignore")` in the tokenizer drops them silently). Here every byte is decoded — well-formed UTF-8
// as UTF-8, every byte of an ill-formed sequence as the Latin-1 character of the same value (or U+FFFD) — and the
// replacements are counted and located so that the caller can say what was replaced.
// Pure (no node: imports): used by the Node file reader and usable on browser streams.

/** Where an ill-formed byte was found. */
export interface InvalidByte {
  /** Offset of the byte in the input (BOM included). */
  byteOffset: number;
  /** 1-based line number (lines counted by LF). */
  line: number;
  /** The byte value. */
  byte: number;
  /** The character it was decoded as. */
  decodedAs: string;
}

/** What the decoder saw and replaced. */
export interface DecodeReport {
  /** Bytes consumed. */
  bytes: number;
  /** A UTF-8 byte order mark was present at the start (and was removed). */
  bom: boolean;
  /** Number of CRLF line endings (the CR is removed by the line splitter). */
  crlf: number;
  /** Number of ill-formed bytes replaced. */
  invalidBytes: number;
  /** The first `maxReported` replacements, in input order. */
  firstInvalid: InvalidByte[];
}

export interface DecoderOptions {
  /** What an ill-formed byte becomes: its Latin-1 character (default; right for stray Latin-1) or U+FFFD. */
  invalid?: 'latin1' | 'replacement';
  /** How many replacements to locate in `firstInvalid` (default 10). */
  maxReported?: number;
}

/** Length of the UTF-8 sequence introduced by lead byte `b`, or 0 when `b` cannot start one. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Whether `b` may follow lead byte `lead` as the first continuation byte (RFC 3629 table, no surrogates). */
function validSecond(lead: number, b: number): boolean {
  if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
  if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
  if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
  if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
  return b >= 0x80 && b <= 0xbf;
}

/**
 * Incremental decoder: `push(chunk)` returns the text decoded so far (a sequence split across chunks is carried
 * over), `end()` flushes. `report` is live.
 */
export class CorpusDecoder {
  readonly report: DecodeReport = { bytes: 0, bom: false, crlf: 0, invalidBytes: 0, firstInvalid: [] };
  private readonly utf8 = new TextDecoder('utf-8');
  private readonly invalid: 'latin1' | 'replacement';
  private readonly maxReported: number;
  private carry: Uint8Array = new Uint8Array(0);
  private line = 1;
  private lastWasCr = false;
  private started = false;

  constructor(options: DecoderOptions = {}) {
    this.invalid = options.invalid ?? 'latin1';
    this.maxReported = options.maxReported ?? 10;
  }

  push(chunk: Uint8Array): string {
    let bytes = chunk;
    let base = this.report.bytes; // offset of bytes[0] in the input
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      base -= this.carry.length;
      this.carry = new Uint8Array(0);
    }
    this.report.bytes += chunk.length;
    return this.decode(bytes, base, false);
  }

  end(): string {
    const bytes = this.carry;
    this.carry = new Uint8Array(0);
    return this.decode(bytes, this.report.bytes - bytes.length, true);
  }

  private decode(bytes: Uint8Array, base: number, final: boolean): string {
    let start = 0;
    if (!this.started) {
      if (bytes.length < 3 && !final && (bytes.length === 0 || bytes[0] === 0xef)) {
        this.carry = bytes.slice(); // too short to tell whether a BOM starts here
        return '';
      }
      this.started = true;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        this.report.bom = true;
        start = 3;
      }
    }
    const parts: string[] = [];
    let runStart = start; // start of the current run of well-formed bytes
    let i = start;
    const n = bytes.length;
    while (i < n) {
      const b = bytes[i];
      if (b < 0x80) {
        if (b === 0x0a) {
          if (this.lastWasCr) this.report.crlf++;
          this.line++;
        }
        this.lastWasCr = b === 0x0d;
        i++;
        continue;
      }
      this.lastWasCr = false;
      const len = sequenceLength(b);
      let ok = len > 0;
      let k = 1;
      for (; ok && k < len; k++) {
        if (i + k >= n) break;
        const c = bytes[i + k];
        ok = k === 1 ? validSecond(b, c) : c >= 0x80 && c <= 0xbf;
      }
      if (ok && i + len > n) {
        if (!final) {
          // A well-formed prefix cut by the chunk boundary: finish it with the next chunk.
          if (i > runStart) parts.push(this.utf8.decode(bytes.subarray(runStart, i)));
          this.carry = bytes.slice(i);
          return parts.join('');
        }
        ok = false;
      }
      if (ok) {
        i += len;
        continue;
      }
      // Ill-formed: replace this one byte, resynchronise at the next.
      if (i > runStart) parts.push(this.utf8.decode(bytes.subarray(runStart, i)));
      const decodedAs = this.invalid === 'latin1' ? String.fromCharCode(b) : '\ufffd';
      parts.push(decodedAs);
      this.report.invalidBytes++;
      if (this.report.firstInvalid.length < this.maxReported) {
        this.report.firstInvalid.push({ byteOffset: base + i, line: this.line, byte: b, decodedAs });
      }
      i++;
      runStart = i;
    }
    if (n > runStart) parts.push(this.utf8.decode(bytes.subarray(runStart, n)));
    return parts.join('');
  }
}

/** Decodes a whole buffer at once (see `CorpusDecoder`). */
export function decodeCorpusBytes(bytes: Uint8Array, options: DecoderOptions = {}): { text: string; report: DecodeReport } {
  const d = new CorpusDecoder(options);
  const text = d.push(bytes) + d.end();
  return { text, report: d.report };
}
