import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { CorpusError, listCorpusFiles, readCorpus } from './corpus-reader.js';
import type { Document } from './corpus.js';

async function collect(it: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of it) out.push(d);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'bertkit-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCorpus', () => {
  it('streams documents of a directory (sorted, recursive, one file = new document) at any chunk size', async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.txt'), Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('B one.\r\nB two.\r\n\r\nB3 caf'), 0xe9, 0x0a]));
    writeFileSync(join(dir, 'a.txt'), 'A one.\nA two.'); // no final newline: the next file is still a new document
    writeFileSync(join(dir, 'sub', 'c.txt'), 'C one.\n');
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, '.hidden'), 'never read\n');
    const expected = [['A one.', 'A two.'], ['B one.', 'B two.'], ['B3 café'], ['C one.']];
    for (const chunkSize of [1, 3, 1 << 20]) {
      const corpus = readCorpus(dir, { chunkSize });
      expect(await collect(corpus)).toEqual(expected);
      expect(corpus.report.documents).toBe(4);
      expect(corpus.report.sentences).toBe(6);
      expect(corpus.report.invalidBytes).toBe(1);
      const b = corpus.report.files.find((f) => f.path.endsWith('b.txt'))!;
      expect(b).toMatchObject({ bom: true, crlf: 3, invalidBytes: 1, documents: 2, sentences: 3 });
      expect(b.firstInvalid).toEqual([{ byteOffset: 27, line: 4, byte: 0xe9, decodedAs: 'é' }]);
    }
    expect(listCorpusFiles(dir).map((p) => p.slice(dir.length + 1))).toEqual(['a.txt', 'b.txt', 'empty.txt', 'sub/c.txt']);
  });

  it('an empty file gives no documents and an empty report entry', async () => {
    const corpus = readCorpus(join(dir, 'empty.txt'));
    expect(await collect(corpus)).toEqual([]);
    expect(corpus.report.files).toEqual([
      { path: join(dir, 'empty.txt'), documents: 0, sentences: 0, droppedLines: 0, bytes: 0, bom: false, crlf: 0, invalidBytes: 0, firstInvalid: [] },
    ]);
  });

  it('a missing path is a CorpusError naming the path', () => {
    expect(() => readCorpus(join(dir, 'nope'))).toThrow(CorpusError);
    expect(() => readCorpus(join(dir, 'nope'))).toThrow(/expected an existing file or directory, got ".*nope"/);
  });
});

const pretrain = 'data/pretrain';
describe.skipIf(sharedMissing(pretrain))('readCorpus on ../shared/data/pretrain (real files)', () => {
  it('reads the Latin-1 file without crashing and locates its 5 Latin-1 bytes', async () => {
    const corpus = readCorpus(sharedPath(`${pretrain}/nltk-gutenberg-2006/chesterton-ball.txt`), { chunkSize: 4096 });
    const docs = await collect(corpus);
    const text = docs.flat().join('\n');
    expect(text).toContain('Brunetière');
    expect(text).toContain('café');
    const f = corpus.report.files[0];
    expect(f.invalidBytes).toBe(5);
    expect(f.firstInvalid[0]).toMatchObject({ line: 4711, byte: 0xe8, decodedAs: 'è' });
    expect(f.bom).toBe(false);
    expect(f.crlf).toBe(0);
  });

  it('reads BOM + CRLF Gutenberg books: BOM stripped, no CR left, same result for any chunk size', async () => {
    const path = sharedPath(`${pretrain}/gutenberg-books/pg11.txt`);
    const small = readCorpus(path, { chunkSize: 997 });
    const docs = await collect(small);
    const big = await collect(readCorpus(path));
    expect(docs).toEqual(big);
    const f = small.report.files[0];
    expect(f.bom).toBe(true);
    expect(f.crlf).toBeGreaterThan(3000);
    expect(f.invalidBytes).toBe(0);
    expect(docs[0][0].charCodeAt(0)).not.toBe(0xfeff);
    expect(docs.flat().some((s) => s.includes('\r'))).toBe(false);
    expect(docs.flat().join(' ')).toContain('Alice');
  });

  it('paragraphs format gives one document per book', async () => {
    const corpus = readCorpus(sharedPath(`${pretrain}/gutenberg-books`), { format: 'paragraphs', filter: (p) => /pg(11|46)\.txt$/.test(p) });
    const docs = await collect(corpus);
    expect(docs.length).toBe(2);
    expect(corpus.report.files.map((f) => f.documents)).toEqual([1, 1]);
  });

  it('gutenberg option strips header, licence and footer of every book (modern and 1990s markers)', async () => {
    const corpus = readCorpus(sharedPath(pretrain), { format: 'paragraphs', gutenberg: true, filter: (p) => p.endsWith('.txt') && !p.includes('wikitext') });
    const docs = await collect(corpus);
    expect(docs.length).toBe(30); // 24 books + 6 NLTK novels, one document each
    for (const [i, d] of docs.entries()) {
      const text = d.join('\n');
      const f = corpus.report.files[i];
      expect(f.droppedLines).toBeGreaterThan(20);
      expect(text).not.toMatch(/^\*\*\*\s*(START|END) OF (THE|THIS) PROJECT GUTENBERG|THE SMALL PRINT!|^End of (The )?Project Gutenberg|Project Gutenberg License/m);
    }
    const emma = docs[corpus.report.files.findIndex((f) => f.path.endsWith('austen-emma.txt'))];
    expect(emma[0]).toBe('VOLUME I');
    expect(emma.slice(-2)[0]).toMatch(/perfect happiness of the union\.$/);
    expect(emma[emma.length - 1]).toBe('FINIS');
    const alice = docs[corpus.report.files.findIndex((f) => f.path.endsWith('pg11.txt'))];
    expect(alice.join(' ')).toContain('Alice was beginning to get very tired');
    expect(corpus.report.invalidBytes).toBe(5);
  });

  it('wikitext format on wiki.test.raw (CRLF, no blank lines): one document per article', async () => {
    const corpus = readCorpus(sharedPath(`${pretrain}/wikitext-2-raw-test/wiki.test.raw`), { format: 'wikitext', chunkSize: 65536 });
    const docs = await collect(corpus);
    expect(docs.length).toBeGreaterThan(40);
    expect(docs[0][0]).toMatch(/^Robert Boulter is an English film , television and theatre actor/);
    expect(docs.flat().some((s) => / @[-,.]@ |^=.* =$/.test(s))).toBe(false);
    expect(corpus.report.files[0].crlf).toBeGreaterThan(2000);
  });
});
