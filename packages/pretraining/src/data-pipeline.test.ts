// End to end with the real WordPiece tokenizer (bert-base-uncased vocabulary from ../shared; skipped without it):
// Brown corpus → instances → shards → batches, checked statistically and for determinism.
import { Rng } from '@bertkit/backend';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { BertTokenizer } from '@bertkit/tokenizer';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from './data-batch.js';
import { readDataMeta, writePretrainingData } from './data-files.js';
import { pretrainingInstances } from './data-pipeline.js';
import { readBatches } from './shards-file.js';
import { tinyTokenizer } from './instances.test-helpers.js';
import type { TrainingInstance } from './instances.js';
import { readBrownDocuments } from './brown-reader.js';

const root = mkdtempSync(join(tmpdir(), 'bertkit-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pretrainingInstances (tiny vocabulary)', () => {
  const tok = tinyTokenizer(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', '.', 'a', 'dog', 'ran']);
  it('handles empty documents, single-sentence documents and an empty corpus', async () => {
    const docs = [[], ['the cat sat .'], ['', '  '], ['a dog ran .', 'the dog sat .']];
    const out = [];
    for await (const x of pretrainingInstances(docs, tok, { maxSeqLength: 16, maxPredictionsPerSeq: 3, dupeFactor: 2 }, new Rng(0))) out.push(x);
    expect(out.length).toBeGreaterThan(0);
    for (const x of out) expect(x.inputIds[0]).toBe(tok.clsTokenId);
    const none = [];
    for await (const x of pretrainingInstances([], tok, {}, new Rng(0))) none.push(x);
    expect(none).toEqual([]);
    expect(() => pretrainingInstances(docs, tok, { objective: 'gpt' as never }, new Rng(0))).toThrow(/objective: expected 'mlm\+nsp', 'mlm' or 'ltr', got "gpt"/);
  });

  it('writePretrainingData reads a corpus file and writes shards + data.json', async () => {
    const corpus = join(root, 'tiny.txt');
    writeFileSync(corpus, '\ufeffthe cat sat .\r\na dog ran .\r\n\r\nthe dog sat .\r\n');
    const out = join(root, 'tiny');
    const meta = await writePretrainingData({ corpus, tokenizer: tok, outDir: out, seed: 1, maxSeqLength: 16, maxPredictionsPerSeq: 3, dupeFactor: 3 });
    expect(readDataMeta(out)).toEqual(JSON.parse(JSON.stringify({ ...meta, corpusReport: undefined })));
    expect(meta).toMatchObject({ objective: 'mlm+nsp', maxPredictions: 3, vocabSize: 12, shards: ['shard-00000.bin'], corpus: { documents: 2, sentences: 3, invalidBytes: 0 } });
    expect(meta.corpusReport!.files[0]).toMatchObject({ bom: true, crlf: 4 });
    let n = 0;
    for await (const { batch } of readBatches(out, { batchSize: 2 })) n += batch.batchSize;
    expect(n).toBe(meta.instances);
  });
});

describe('writePretrainingData on an empty corpus', () => {
  const tok = tinyTokenizer(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'x']);
  it('writes no shard, a data.json with 0 instances, and reading it is a typed error', async () => {
    const corpus = join(root, 'empty.txt');
    writeFileSync(corpus, '\r\n\n  \n');
    const out = join(root, 'empty-out');
    const meta = await writePretrainingData({ corpus, tokenizer: tok, outDir: out, seed: 1 });
    expect(meta).toMatchObject({ instances: 0, shards: [], corpus: { documents: 0, sentences: 0 } });
    expect(readDataMeta(out).instances).toBe(0);
    await expect(readBatches(out, { batchSize: 2 }).next()).rejects.toThrow(/expected at least one .bin file/);
  });
});

const vocabRel = 'models/bert-base-uncased-tokenizer/vocab.txt';
describe.skipIf(sharedMissing(vocabRel))('Brown → shards → batches with the bert-base-uncased tokenizer', () => {
  let tok: BertTokenizer;
  beforeAll(() => {
    tok = BertTokenizer.fromVocab(readFileSync(sharedPath(vocabRel), 'utf8'), { lowercase: true });
  });

  it('masking statistics on the batches read back; specials never targets; shards read back', async () => {
    const out = join(root, 'brown-a');
    const meta = await writePretrainingData({ corpus: 'brown', tokenizer: tok, outDir: out, seed: 7, dupeFactor: 1 });
    expect(meta.corpus).toEqual({ source: 'brown', documents: 500, sentences: 57340 });
    expect(meta.instances).toBeGreaterThan(10_000);
    const specials = new Set([tok.clsTokenId, tok.sepTokenId, tok.padTokenId, tok.maskTokenId]);
    let eligible = 0;
    let chosen = 0;
    let masked = 0;
    let kept = 0;
    let notNext = 0;
    let rows = 0;
    let bad = 0; // dense and sparse labels disagree, or a special token is a target
    let first = '';
    for await (const { batch } of readBatches(out, { batchSize: 64 })) {
      const { seqLength: T, maxPredictions: P } = batch;
      for (let b = 0; b < batch.batchSize; b++, rows++) {
        let n = 0;
        for (let t = 0; t < T; t++) n += batch.attentionMask[b * T + t];
        eligible += n - 3;
        notNext += batch.nspLabels[b];
        for (let k = 0; k < P; k++) {
          if (batch.maskedWeights[b * P + k] === 0) continue;
          const pos = batch.maskedPositions[b * P + k];
          const label = batch.maskedIds[b * P + k];
          if (batch.mlmLabels[b * T + pos] !== label || specials.has(label)) bad++;
          chosen++;
          if (batch.inputIds[b * T + pos] === tok.maskTokenId) masked++;
          else if (batch.inputIds[b * T + pos] === label) kept++;
        }
        let dense = 0;
        for (let t = 0; t < T; t++) if (batch.mlmLabels[b * T + t] !== IGNORE_INDEX) dense++;
        if (dense !== batch.maskedWeights.subarray(b * P, b * P + P).reduce((s, w) => s + w, 0)) bad++;
        if (rows === 0) first = Array.from(batch.inputIds.subarray(0, n), (id) => tok.idToToken(id)).join(' ');
      }
    }
    expect(rows).toBe(meta.instances);
    expect(bad).toBe(0);
    expect(eligible).toBeGreaterThan(1_000_000);
    expect(Math.abs(chosen / eligible - 0.15)).toBeLessThan(0.005);
    expect(Math.abs(masked / chosen - 0.8)).toBeLessThan(0.01);
    expect(Math.abs(kept / chosen - 0.1)).toBeLessThan(0.01);
    expect(Math.abs((chosen - masked - kept) / chosen - 0.1)).toBeLessThan(0.01);
    expect(notNext / rows).toBeGreaterThan(0.49);
    expect(notNext / rows).toBeLessThan(0.56); // single-sentence chunks are always NotNext (see masking-stats.test.ts)
    expect(first.startsWith('[CLS] ')).toBe(true);
    expect(first.split(' ').filter((t) => t === '[SEP]').length).toBe(2);

  });

  it('same seed → identical instances, different seed → different (100 Brown documents)', async () => {
    const docs = readBrownDocuments().slice(0, 100);
    const run = async (seed: number): Promise<TrainingInstance[]> => {
      const out: TrainingInstance[] = [];
      for await (const x of pretrainingInstances(docs, tok, { dupeFactor: 1 }, new Rng(seed))) out.push(x);
      return out;
    };
    const a = await run(7);
    expect(a.length).toBeGreaterThan(2000);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('LTR objective writes dense next-token targets and no NSP labels', async () => {
    const out = join(root, 'brown-ltr');
    const meta = await writePretrainingData({ corpus: 'brown', tokenizer: tok, outDir: out, seed: 1, dupeFactor: 1, objective: 'ltr', maxSeqLength: 64 });
    expect(meta.maxPredictions).toBe(62);
    for await (const { batch } of readBatches(out, { batchSize: 8 })) {
      const T = batch.seqLength;
      for (let b = 0; b < batch.batchSize; b++) {
        expect(batch.nspLabels[b]).toBe(IGNORE_INDEX);
        for (let t = 0; t + 1 < T; t++) {
          const next = batch.inputIds[b * T + t + 1];
          const label = batch.mlmLabels[b * T + t];
          if (label !== IGNORE_INDEX) expect(label).toBe(next);
          else expect([tok.sepTokenId, tok.padTokenId]).toContain(next);
        }
      }
      break;
    }
  });
});
