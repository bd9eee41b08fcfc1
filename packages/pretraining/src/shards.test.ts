import { Rng } from '@bertkit/backend';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collateInstances } from './data-batch.js';
import { resolveDataOptions } from './data-config.js';
import { createLtrInstances } from './instances-ltr.js';
import { vocabInfo, type IdDocument } from './instances-vocab.js';
import { tinyTokenizer } from './instances.test-helpers.js';
import { createInstances, type TrainingInstance } from './instances.js';
import { ShardError, decodeHeader, encodeHeader, recordBytes } from './shards.js';
import { readBatches, readShardInstances, writeShards, type BatchWithPosition, type DataPosition } from './shards-file.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...Array.from({ length: 94 }, (_, i) => `w${i}`)];
const vocab = vocabInfo(tinyTokenizer(VOCAB));
const rng0 = new Rng(17);
const docs: IdDocument[] = Array.from({ length: 9 }, () => Array.from({ length: rng0.randint(1, 8) }, () => Array.from({ length: rng0.randint(1, 9) }, () => 5 + rng0.int(94))));
const opts = resolveDataOptions({ maxSeqLength: 24, maxPredictionsPerSeq: 4, dupeFactor: 2 });
const instances = createInstances(docs, opts, vocab, new Rng(3));

const root = mkdtempSync(join(tmpdir(), 'bertkit-shards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('binary shards', () => {
  it('header round trip and record size', () => {
    const h = { maxSeqLength: 24, maxPredictions: 4, count: 7, idBytes: 2 as const, padId: 0 };
    expect(decodeHeader(encodeHeader(h), 'x')).toEqual(h);
    expect(recordBytes(h)).toBe(8 + 48 + 16);
  });

  it('write → read round trip is identical, across several shards', async () => {
    const dir = join(root, 'rt');
    expect(instances.length).toBeGreaterThan(20);
    const { paths, count } = await writeShards(instances, dir, { maxSeqLength: 24, maxPredictions: 4, vocabSize: 99, recordsPerShard: 7 });
    expect(count).toBe(instances.length);
    expect(paths.length).toBe(Math.ceil(instances.length / 7));
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(await all(readShardInstances(dir))).toEqual(instances);
  });

  it('4-byte ids for vocabularies over 65,536 and LTR instances (no NSP label) round trip', async () => {
    const big = instances.map((x): TrainingInstance => ({ ...x, inputIds: x.inputIds.map((id) => id + 100_000), maskedLabels: x.maskedLabels.map((id) => id + 100_000) }));
    await writeShards(big, join(root, 'big'), { maxSeqLength: 24, maxPredictions: 4, vocabSize: 119_547 });
    expect(await all(readShardInstances(join(root, 'big')))).toEqual(big);
    const ltr = createLtrInstances(docs, opts, vocab, new Rng(1));
    await writeShards(ltr, join(root, 'ltr'), { maxSeqLength: 24, maxPredictions: 22, vocabSize: 99 });
    expect(await all(readShardInstances(join(root, 'ltr')))).toEqual(ltr);
  });

  it('batches equal collating the instances in order; the last batch is partial unless dropped', async () => {
    const dir = join(root, 'rt');
    const got = await all(readBatches(dir, { batchSize: 5 }));
    expect(got.length).toBe(Math.ceil(instances.length / 5));
    got.forEach((g, i) => expect(g.batch).toEqual(collateInstances(instances.slice(i * 5, i * 5 + 5), 24, 4)));
    const dropped = await all(readBatches(dir, { batchSize: 5, dropRemainder: true }));
    expect(dropped.length).toBe(Math.floor(instances.length / 5));
  });

  it('resuming from any saved position gives exactly the remaining stream (also across epochs when looping)', async () => {
    const dir = join(root, 'rt');
    const take = async (start: DataPosition | undefined, n: number): Promise<BatchWithPosition[]> => {
      const out: BatchWithPosition[] = [];
      for await (const b of readBatches(dir, { batchSize: 4, loop: true, start })) {
        out.push(b);
        if (out.length === n) break;
      }
      return out;
    };
    const full = await take(undefined, 30); // > 2 epochs
    expect(full[full.length - 1].position.epoch).toBeGreaterThanOrEqual(2);
    for (const k of [0, 1, 5, 11, 17]) {
      const saved = JSON.parse(JSON.stringify(full[k].position)) as DataPosition; // as a checkpoint stores it
      const resumed = await take(saved, 30 - k - 1);
      expect(resumed).toEqual(full.slice(k + 1));
    }
    // epoch 1 starts again with the first instances
    const perEpoch = instances.length;
    const flat = full.flatMap((b) => Array.from({ length: 4 }, (_, r) => [...b.batch.inputIds.subarray(r * 24, r * 24 + 24)].join()));
    expect(flat[perEpoch]).toBe(flat[0]);
  });

  it('bad shards are typed errors naming the problem; an empty stream writes no shard', async () => {
    const dir = join(root, 'bad');
    const { paths } = await writeShards(instances.slice(0, 3), dir, { maxSeqLength: 24, maxPredictions: 4, vocabSize: 99 });
    const bytes = readFileSync(paths[0]);
    writeFileSync(paths[0], bytes.subarray(0, bytes.length - 5));
    await expect(all(readBatches(dir, { batchSize: 2 }))).rejects.toThrow(/size: expected \d+ bytes for 3 records, got \d+/);
    writeFileSync(paths[0], Buffer.concat([Buffer.from('NOPE'), bytes.subarray(4)]));
    await expect(all(readBatches(dir, { batchSize: 2 }))).rejects.toThrow(ShardError);
    await expect(all(readBatches(dir, { batchSize: 2 }))).rejects.toThrow(/magic: expected 0x54504b42/);
    const empty = await writeShards([], join(root, 'empty'), { maxSeqLength: 24, maxPredictions: 4, vocabSize: 99 });
    expect(empty).toEqual({ paths: [], count: 0 });
    await expect(all(readBatches(join(root, 'empty'), { batchSize: 2 }))).rejects.toThrow(/expected at least one .bin file/);
    await expect(all(readBatches(join(root, 'rt'), { batchSize: 2, start: { epoch: 0, shard: 99, record: 0 } }))).rejects.toThrow(/start position/);
  });
});
