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
    expect(() => new DocumentSplitter('sentences' as never)).toThrow(/expected 'lines', 'paragraphs' or 'wikitext', got "sentences"/);
  });

  it('gutenberg option keeps only the text between the start and end markers, at any chunking', () => {
    const text = 'Title page\r\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\r\n\r\nChapter 1.\r\nIt begins.\r\n\r\n*** END OF THE PROJECT GUTENBERG EBOOK X ***\r\nLicence.\r\n';
    expect(splitDocuments(text, 'lines', { gutenberg: true })).toEqual([['Chapter 1.', 'It begins.']]);
    for (const size of [1, 5, 13]) {
      const s = new DocumentSplitter('lines', { gutenberg: true });
      const docs = [];
      for (let i = 0; i < text.length; i += size) docs.push(...s.push(text.slice(i, i + size)));
      docs.push(...s.end());
      expect(docs).toEqual([['Chapter 1.', 'It begins.']]);
      expect(s.droppedLines).toBe(4);
    }
    // without markers nothing is dropped
    expect(splitDocuments('a\nb\n', 'lines', { gutenberg: true })).toEqual([['a', 'b']]);
  });

  it('wikitext format: articles are documents, section headings dropped, @-@ artefacts undone', () => {
    const text = ' = Robert Boulter = \r\n Robert Boulter is an English film , television and theatre actor . \r\n = = Career = = \r\n In 2000 Boulter had a guest @-@ starring role , 1 @,@ 000 times 2 @.@ 5 . \r\n = Du Fu = \r\n Du Fu was a poet . \r\n';
    expect(splitDocuments(text, 'wikitext')).toEqual([
      ['Robert Boulter is an English film , television and theatre actor .', 'In 2000 Boulter had a guest-starring role , 1,000 times 2.5 .'],
      ['Du Fu was a poet .'],
    ]);
  });
});
