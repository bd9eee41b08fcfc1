import { describe, expect, it } from 'vitest';
import { DocumentSplitter, splitDocuments } from './corpus.js';

describe('splitDocuments (google-research/bert format)', () => {
  it('one sentence per line, blank lines between documents, lines stripped, empty documents dropped', () => {
    const text = '\n\n  First sentence.  \nSecond one.\n \t \nOther doc.\n\n\n\nThird\tdoc.\n';
    expect(splitDocuments(text)).toEqual([['First sentence.', 'Second one.'], ['Other doc.'], ['Third\tdoc.']]);
  });

  it('accepts CRLF, lone CR and no final newline', () => {
    expect(splitDocuments('a\r\nb\r\n\r\nc\rd')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('is the same for any chunking, including a CRLF pair split across chunks', () => {
    const text = 'one\r\ntwo\r\n\r\nthree\r\nfour\n\nfive';
    const expected = splitDocuments(text);
    for (const size of [1, 2, 3, 4, 6]) {
      const s = new DocumentSplitter();
      const docs = [];
      for (let i = 0; i < text.length; i += size) docs.push(...s.push(text.slice(i, i + size)));
      docs.push(...s.end());
      expect(docs).toEqual(expected);
    }
  });

  it('empty and blank-only inputs give no documents', () => {
    expect(splitDocuments('')).toEqual([]);
    expect(splitDocuments('\n \r\n\t\n')).toEqual([]);
  });

  it('paragraphs format joins hard-wrapped lines and keeps the whole input as one document', () => {
    const text = 'It was the best\nof times.\n\n\nIt was the worst\r\nof times.\n';
    expect(splitDocuments(text, 'paragraphs')).toEqual([['It was the best of times.', 'It was the worst of times.']]);
  });

  it('rejects an unknown format naming the value', () => {
    expect(() => new DocumentSplitter('sentences' as never)).toThrow(/expected 'lines' or 'paragraphs', got "sentences"/);
  });
});
