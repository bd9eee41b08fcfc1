import { describe, expect, it } from 'vitest';
import { CorpusDecoder, decodeCorpusBytes } from './corpus-decoder.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const all = parts.flatMap((p) => [...p]);
  return new Uint8Array(all);
};

/** Decodes `bytes` fed in pieces of `size` bytes. */
function inPieces(bytes: Uint8Array, size: number, options = {}) {
  const d = new CorpusDecoder(options);
  let text = '';
  for (let i = 0; i < bytes.length; i += size) text += d.push(bytes.subarray(i, i + size));
  return { text: text + d.end(), report: d.report };
}

describe('CorpusDecoder', () => {
  it('decodes well-formed UTF-8 unchanged and reports nothing', () => {
    const { text, report } = decodeCorpusBytes(enc('café “quoted” — 𝄞 done\n'));
    expect(text).toBe('café “quoted” — 𝄞 done\n');
    expect(report).toMatchObject({ bom: false, crlf: 0, invalidBytes: 0, firstInvalid: [] });
  });

  it('strips a BOM and counts CRLF line endings', () => {
    const { text, report } = decodeCorpusBytes(cat([0xef, 0xbb, 0xbf], enc('a\r\nb\r\n\r\nc')));
    expect(text).toBe('a\r\nb\r\n\r\nc');
    expect(report.bom).toBe(true);
    expect(report.crlf).toBe(3);
    expect(report.bytes).toBe(12);
  });

  it('decodes stray Latin-1 bytes as Latin-1 and locates them', () => {
    // "Bruneti\xe8re,\ncaf\xe9." as in NLTK's chesterton-ball.txt
    const bytes = cat(enc('Bruneti'), [0xe8], enc('re,\ncaf'), [0xe9], enc('.'));
    const { text, report } = decodeCorpusBytes(bytes);
    expect(text).toBe('Brunetière,\ncafé.');
    expect(report.invalidBytes).toBe(2);
    expect(report.firstInvalid).toEqual([
      { byteOffset: 7, line: 1, byte: 0xe8, decodedAs: 'è' },
      { byteOffset: 15, line: 2, byte: 0xe9, decodedAs: 'é' },
    ]);
  });

  it('can use U+FFFD instead and caps the located list', () => {
    const bytes = cat([0xff, 0x41, 0xc0, 0xaf, 0xed, 0xa0, 0x80]); // invalid lead, overlong, surrogate
    const { text, report } = decodeCorpusBytes(bytes, { invalid: 'replacement', maxReported: 2 });
    expect(text).toBe('\ufffdA\ufffd\ufffd\ufffd\ufffd\ufffd');
    expect(report.invalidBytes).toBe(6);
    expect(report.firstInvalid.map((r) => r.byteOffset)).toEqual([0, 2]);
  });

  it('treats a truncated sequence at the end of input as invalid', () => {
    const { text, report } = decodeCorpusBytes(cat(enc('ab'), [0xe2, 0x80]));
    expect(text).toBe('ab\u00e2\u0080');
    expect(report.invalidBytes).toBe(2);
  });

  it('gives the same text and report for every chunk size (sequences, BOM and CRLF split across chunks)', () => {
    const bytes = cat([0xef, 0xbb, 0xbf], enc('é “x” 𝄞\r\n'), [0xe9], enc('\r\nend 😀'), [0xf0, 0x9f]);
    const whole = decodeCorpusBytes(bytes);
    expect(whole.report.invalidBytes).toBe(3);
    for (const size of [1, 2, 3, 5, 7]) {
      const p = inPieces(bytes, size);
      expect(p.text).toBe(whole.text);
      expect(p.report).toEqual(whole.report);
    }
  });

  it('handles empty input', () => {
    expect(decodeCorpusBytes(new Uint8Array(0))).toEqual({
      text: '',
      report: { bytes: 0, bom: false, crlf: 0, invalidBytes: 0, firstInvalid: [] },
    });
  });
});
