// Binary instance shards: a 32-byte little-endian header and fixed-size records, so a reader can seek straight to
// record r of shard s (exact resume) and data generation and training run as separate steps.
//   header: magic "BKPT" | version u32 (1) | maxSeqLength u32 | maxPredictions u32 | count u32 | idBytes u32 (2|4)
//           | padId u32 | reserved u32
//   record: length u16 | segmentBStart u16 | numPredictions u16 | nspLabel i16 (0, 1, -1 none)
//           | inputIds[maxSeqLength] (idBytes each, 0-padded) | positions[maxPredictions] u16 | labels[maxPredictions] (idBytes)
// Pure (DataView on bytes); file access is in `shards-file.ts`.
import type { TrainingInstance } from './instances.js';

export const SHARD_MAGIC = 0x54504b42; // "BKPT" read as little-endian u32
export const SHARD_VERSION = 1;
export const SHARD_HEADER_BYTES = 32;

export class ShardError extends Error {
  override name = 'ShardError';
}

export interface ShardHeader {
  maxSeqLength: number;
  maxPredictions: number;
  count: number;
  idBytes: 2 | 4;
  padId: number;
}

/** Bytes of one record under `h`. */
export function recordBytes(h: Pick<ShardHeader, 'maxSeqLength' | 'maxPredictions' | 'idBytes'>): number {
  return 8 + h.maxSeqLength * h.idBytes + h.maxPredictions * (2 + h.idBytes);
}

/** The id width a vocabulary needs. */
export function idBytesFor(vocabSize: number): 2 | 4 {
  return vocabSize <= 0x10000 ? 2 : 4;
}

export function encodeHeader(h: ShardHeader): Uint8Array {
  const out = new Uint8Array(SHARD_HEADER_BYTES);
  const v = new DataView(out.buffer);
  [SHARD_MAGIC, SHARD_VERSION, h.maxSeqLength, h.maxPredictions, h.count, h.idBytes, h.padId, 0].forEach((x, i) => v.setUint32(i * 4, x, true));
  return out;
}

/** Parses and validates a header; `where` names the file in errors. */
export function decodeHeader(bytes: Uint8Array, where: string): ShardHeader {
  if (bytes.length < SHARD_HEADER_BYTES) throw new ShardError(`${where}: expected a ${SHARD_HEADER_BYTES}-byte shard header, got ${bytes.length} bytes`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, SHARD_HEADER_BYTES);
  const magic = v.getUint32(0, true);
  if (magic !== SHARD_MAGIC) throw new ShardError(`${where} magic: expected 0x${SHARD_MAGIC.toString(16)} ("BKPT"), got 0x${magic.toString(16)}`);
  const version = v.getUint32(4, true);
  if (version !== SHARD_VERSION) throw new ShardError(`${where} version: expected ${SHARD_VERSION}, got ${version}`);
  const idBytes = v.getUint32(20, true);
  if (idBytes !== 2 && idBytes !== 4) throw new ShardError(`${where} idBytes: expected 2 or 4, got ${idBytes}`);
  return { maxSeqLength: v.getUint32(8, true), maxPredictions: v.getUint32(12, true), count: v.getUint32(16, true), idBytes, padId: v.getUint32(24, true) };
}

/** Writes `x` as a record at `offset` of `v`. */
export function encodeRecord(x: TrainingInstance, h: ShardHeader, v: DataView, offset: number): void {
  const n = x.inputIds.length;
  const p = x.maskedPositions.length;
  if (n > h.maxSeqLength) throw new ShardError(`instance length: expected <= maxSeqLength=${h.maxSeqLength}, got ${n}`);
  if (p > h.maxPredictions) throw new ShardError(`instance predictions: expected <= maxPredictions=${h.maxPredictions}, got ${p}`);
  const maxId = h.idBytes === 2 ? 0xffff : 0x7fffffff;
  v.setUint16(offset, n, true);
  v.setUint16(offset + 2, x.segmentBStart, true);
  v.setUint16(offset + 4, p, true);
  v.setInt16(offset + 6, x.nspLabel, true);
  let o = offset + 8;
  const put = (id: number): void => {
    if (id < 0 || id > maxId) throw new ShardError(`token id: expected an integer in [0, ${maxId}] for ${h.idBytes}-byte ids, got ${id}`);
    if (h.idBytes === 2) v.setUint16(o, id, true);
    else v.setUint32(o, id, true);
    o += h.idBytes;
  };
  for (let i = 0; i < h.maxSeqLength; i++) put(i < n ? x.inputIds[i] : h.padId);
  for (let k = 0; k < h.maxPredictions; k++, o += 2) v.setUint16(o, k < p ? x.maskedPositions[k] : 0, true);
  for (let k = 0; k < h.maxPredictions; k++) put(k < p ? x.maskedLabels[k] : 0);
}

/** Reads the record at `offset` of `v`. */
export function decodeRecord(h: ShardHeader, v: DataView, offset: number): TrainingInstance {
  const n = v.getUint16(offset, true);
  const segmentBStart = v.getUint16(offset + 2, true);
  const p = v.getUint16(offset + 4, true);
  const nspLabel = v.getInt16(offset + 6, true);
  if (n > h.maxSeqLength || p > h.maxPredictions) throw new ShardError(`record at byte ${offset}: expected length <= ${h.maxSeqLength} and predictions <= ${h.maxPredictions}, got ${n} and ${p} (corrupt shard?)`);
  const get = h.idBytes === 2 ? (o: number) => v.getUint16(o, true) : (o: number) => v.getUint32(o, true);
  const ids = offset + 8;
  const pos = ids + h.maxSeqLength * h.idBytes;
  const lab = pos + h.maxPredictions * 2;
  const inputIds = Int32Array.from({ length: n }, (_, i) => get(ids + i * h.idBytes));
  const maskedPositions = Int32Array.from({ length: p }, (_, k) => v.getUint16(pos + k * 2, true));
  const maskedLabels = Int32Array.from({ length: p }, (_, k) => get(lab + k * h.idBytes));
  return { inputIds, segmentBStart, nspLabel, maskedPositions, maskedLabels };
}
