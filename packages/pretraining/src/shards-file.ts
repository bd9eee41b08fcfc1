// Node-only shard files: a writer that fills `shard-00000.bin`, `shard-00001.bin`, … (each written to a temporary
// name and renamed when complete, so a killed generator never leaves a half shard under a shard name), and a
// reader that streams batches from any data position (epoch, shard, record) — the position a training checkpoint
// stores, so a resumed run reads exactly the batches an uninterrupted run would have read. Imported by `node.ts`.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { collateInstances, type PretrainingBatch } from './data-batch.js';
import type { TrainingInstance } from './instances.js';
import { SHARD_HEADER_BYTES, ShardError, decodeHeader, decodeRecord, encodeHeader, encodeRecord, idBytesFor, recordBytes, type ShardHeader } from './shards.js';

export interface ShardWriterOptions {
  maxSeqLength: number;
  maxPredictions: number;
  vocabSize: number;
  padId?: number;
  /** Records per shard file (default 100,000). */
  recordsPerShard?: number;
  /** File name prefix (default `shard`). */
  prefix?: string;
}

/** Writes instances into numbered shard files of a directory. */
export class ShardWriter {
  readonly paths: string[] = [];
  count = 0;
  private fh: FileHandle | null = null;
  private inShard = 0;
  private readonly header: ShardHeader;
  private readonly rb: number;
  private readonly block: Uint8Array;
  private readonly view: DataView;
  private inBlock = 0;
  private readonly perShard: number;

  constructor(
    private readonly dir: string,
    private readonly options: ShardWriterOptions,
  ) {
    this.perShard = options.recordsPerShard ?? 100_000;
    if (!Number.isInteger(this.perShard) || this.perShard < 1) throw new ShardError(`recordsPerShard: expected a positive integer, got ${this.perShard}`);
    this.header = { maxSeqLength: options.maxSeqLength, maxPredictions: options.maxPredictions, count: 0, idBytes: idBytesFor(options.vocabSize), padId: options.padId ?? 0 };
    this.rb = recordBytes(this.header);
    this.block = new Uint8Array(this.rb * 256);
    this.view = new DataView(this.block.buffer);
    mkdirSync(dir, { recursive: true });
  }

  private shardPath(i: number): string {
    return join(this.dir, `${this.options.prefix ?? 'shard'}-${String(i).padStart(5, '0')}.bin`);
  }

  async write(x: TrainingInstance): Promise<void> {
    if (!this.fh) {
      this.fh = await open(`${this.shardPath(this.paths.length)}.tmp`, 'w');
      await this.fh.write(encodeHeader(this.header), 0, SHARD_HEADER_BYTES, 0);
    }
    encodeRecord(x, this.header, this.view, this.inBlock * this.rb);
    this.inBlock++;
    this.inShard++;
    this.count++;
    if (this.inBlock * this.rb === this.block.length) await this.flushBlock();
    if (this.inShard === this.perShard) await this.finishShard();
  }

  private async flushBlock(): Promise<void> {
    if (!this.fh || this.inBlock === 0) return;
    const start = SHARD_HEADER_BYTES + (this.inShard - this.inBlock) * this.rb;
    await this.fh.write(this.block, 0, this.inBlock * this.rb, start);
    this.inBlock = 0;
  }

  private async finishShard(): Promise<void> {
    if (!this.fh) return;
    await this.flushBlock();
    await this.fh.write(encodeHeader({ ...this.header, count: this.inShard }), 0, SHARD_HEADER_BYTES, 0);
    await this.fh.sync();
    await this.fh.close();
    this.fh = null;
    const path = this.shardPath(this.paths.length);
    await rename(`${path}.tmp`, path);
    this.paths.push(path);
    this.inShard = 0;
  }

  /** Completes the last shard; returns the shard paths in order. */
  async close(): Promise<string[]> {
    await this.finishShard();
    return this.paths;
  }
}

/** Writes a stream of instances to shards; returns the paths and the instance count. */
export async function writeShards(instances: AsyncIterable<TrainingInstance> | Iterable<TrainingInstance>, dir: string, options: ShardWriterOptions): Promise<{ paths: string[]; count: number }> {
  const w = new ShardWriter(dir, options);
  for await (const x of instances) await w.write(x);
  const paths = await w.close();
  return { paths, count: w.count };
}

/** The shard files of a directory (sorted), or the given list. */
export function listShards(pathsOrDir: string | readonly string[]): string[] {
  if (typeof pathsOrDir !== 'string') return [...pathsOrDir];
  if (statSync(pathsOrDir).isFile()) return [pathsOrDir];
  return readdirSync(pathsOrDir).filter((f) => f.endsWith('.bin')).sort().map((f) => join(pathsOrDir, f));
}

/** Where the next record comes from: pass (epoch), shard index, record index. Serializable as JSON. */
export interface DataPosition {
  epoch: number;
  shard: number;
  record: number;
}

export interface ReadBatchesOptions {
  batchSize: number;
  /** Start here (default the beginning: epoch 0, shard 0, record 0). */
  start?: DataPosition;
  /** Wrap around to shard 0 at the end (epoch + 1) and never end (default false: stop after the last shard). */
  loop?: boolean;
  /** Without `loop`: drop a final batch smaller than batchSize (default false). */
  dropRemainder?: boolean;
}

export interface BatchWithPosition {
  batch: PretrainingBatch;
  /** The position of the NEXT batch: store it with a checkpoint taken after this batch. */
  position: DataPosition;
}

interface OpenShard {
  fh: FileHandle;
  header: ShardHeader;
  path: string;
}

/** Streams batches from shards (all shards must share maxSeqLength / maxPredictions / idBytes). */
export async function* readBatches(pathsOrDir: string | readonly string[], options: ReadBatchesOptions): AsyncGenerator<BatchWithPosition> {
  const B = options.batchSize;
  if (!Number.isInteger(B) || B < 1) throw new ShardError(`batchSize: expected a positive integer, got ${B}`);
  const paths = listShards(pathsOrDir);
  if (paths.length === 0) throw new ShardError(`shards: expected at least one .bin file in ${JSON.stringify(pathsOrDir)}, got none`);
  const shards: OpenShard[] = [];
  try {
    for (const path of paths) {
      const fh = await open(path, 'r');
      shards.push({ fh, header: { maxSeqLength: 0, maxPredictions: 0, count: 0, idBytes: 2, padId: 0 }, path });
      const head = new Uint8Array(SHARD_HEADER_BYTES);
      await fh.read(head, 0, SHARD_HEADER_BYTES, 0);
      const header = decodeHeader(head, path);
      const size = (await fh.stat()).size;
      const want = SHARD_HEADER_BYTES + header.count * recordBytes(header);
      if (size !== want) throw new ShardError(`${path} size: expected ${want} bytes for ${header.count} records, got ${size} (truncated or unfinished shard)`);
      shards[shards.length - 1].header = header;
    }
    const h0 = shards[0].header;
    for (const s of shards) {
      for (const k of ['maxSeqLength', 'maxPredictions', 'idBytes'] as const) {
        if (s.header[k] !== h0[k]) throw new ShardError(`${s.path} ${k}: expected ${h0[k]} (as ${shards[0].path}), got ${s.header[k]}`);
      }
    }
    const total = shards.reduce((n, s) => n + s.header.count, 0);
    if (total === 0) return;
    const pos: DataPosition = { ...(options.start ?? { epoch: 0, shard: 0, record: 0 }) };
    if (!(pos.shard >= 0 && pos.shard < shards.length && pos.record >= 0 && pos.record <= shards[pos.shard].header.count)) {
      throw new ShardError(`start position: expected a shard in [0, ${shards.length}) and a record within it, got ${JSON.stringify(pos)}`);
    }
    const rb = recordBytes(h0);
    for (;;) {
      const batch: TrainingInstance[] = [];
      let ended = false;
      while (batch.length < B) {
        const s = shards[pos.shard];
        if (pos.record >= s.header.count) {
          pos.shard++;
          pos.record = 0;
          if (pos.shard === shards.length) {
            if (!options.loop) {
              ended = true;
              break;
            }
            pos.shard = 0;
            pos.epoch++;
          }
          continue;
        }
        const n = Math.min(B - batch.length, s.header.count - pos.record);
        const bytes = new Uint8Array(n * rb);
        await s.fh.read(bytes, 0, bytes.length, SHARD_HEADER_BYTES + pos.record * rb);
        const view = new DataView(bytes.buffer);
        for (let k = 0; k < n; k++) batch.push(decodeRecord(s.header, view, k * rb));
        pos.record += n;
      }
      if (batch.length === 0 || (ended && options.dropRemainder && batch.length < B)) return;
      yield { batch: collateInstances(batch, h0.maxSeqLength, h0.maxPredictions, h0.padId), position: { ...pos } };
      if (ended) return;
    }
  } finally {
    for (const s of shards) await s.fh.close();
  }
}

/** Every instance of the shards, in order (for tests and inspection). */
export async function* readShardInstances(pathsOrDir: string | readonly string[]): AsyncGenerator<TrainingInstance> {
  for (const path of listShards(pathsOrDir)) {
    const fh = await open(path, 'r');
    try {
      const head = new Uint8Array(SHARD_HEADER_BYTES);
      await fh.read(head, 0, SHARD_HEADER_BYTES, 0);
      const h = decodeHeader(head, path);
      const rb = recordBytes(h);
      for (let r = 0; r < h.count; r += 1024) {
        const n = Math.min(1024, h.count - r);
        const bytes = new Uint8Array(n * rb);
        await fh.read(bytes, 0, bytes.length, SHARD_HEADER_BYTES + r * rb);
        const view = new DataView(bytes.buffer);
        for (let k = 0; k < n; k++) yield decodeRecord(h, view, k * rb);
      }
    } finally {
      await fh.close();
    }
  }
}
