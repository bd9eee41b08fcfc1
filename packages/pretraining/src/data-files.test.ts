import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDocuments } from './data-files.js';

async function collect(docs: AsyncIterable<readonly string[]> | Iterable<readonly string[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const d of docs) out.push([...d]);
  return out;
}

describe('corpusDocuments', () => {
  it('reads several specs joined by commas one after the other, with the read options applied to each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-corpus-'));
    writeFileSync(join(dir, 'a.txt'), 'one line\nwrapped here\n\nsecond para\n');
    writeFileSync(join(dir, 'b.txt'), 'b first\n\nb second\n');
    const { documents, reader } = corpusDocuments(`${join(dir, 'a.txt')}, ${join(dir, 'b.txt')}`, { format: 'paragraphs' });
    expect(await collect(documents)).toEqual([['one line wrapped here', 'second para'], ['b first', 'b second']]);
    expect(reader?.report.files.map((f) => f.path)).toEqual([join(dir, 'b.txt')]);
  });

  it('chains the embedded Brown corpus with files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-corpus-'));
    writeFileSync(join(dir, 'x.txt'), 'last words\n');
    const docs = await collect(corpusDocuments(`brown,${join(dir, 'x.txt')}`).documents);
    expect(docs.length).toBe(501); // Brown's 500 files, then x.txt
    expect(docs[500]).toEqual(['last words']);
  });
});
