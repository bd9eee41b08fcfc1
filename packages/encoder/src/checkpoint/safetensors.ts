// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
// N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}` (offsets
// relative to the byte after the header), then the tensor bytes. The reader validates as the Rust crate's
// `SafeTensors::deserialize` / `Metadata::validate` does; the writer lays files out as its `serialize` does, so
// that `safetensors.torch.load_file` and transformers' `from_pretrained` load them.
import {
  CheckpointError,
  DTYPE_SIZE,
  checkRawTensor,
  isDType,
  littleEndianBytes,
  numel,
  typedView,
  type DType,
  type RawTensor,
} from './raw-tensor';

/** The Rust crate's MAX_HEADER_SIZE. */
export const MAX_HEADER_SIZE = 100_000_000;

export interface SafetensorsFile {
  /** In header order (as JSON.parse enumerates it). Tensors may be views into the input bytes. */
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

/** One tensor of a safetensors header; `begin`/`end` are absolute byte offsets in the file. */
export interface SafetensorsEntry {
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** In header order. */
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data buffer (8 + header length). */
  dataStart: number;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/** How many leading bytes hold the header (8 + its length), from the first 8 bytes of a file. */
export function safetensorsHeaderSize(first8: Uint8Array): number {
  if (first8.length < 8) {
    throw new CheckpointError(`safetensors: need at least 8 bytes for the header length, got ${first8.length}`);
  }
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_SIZE)) {
    throw new CheckpointError(`safetensors: header length ${n} exceeds the maximum ${MAX_HEADER_SIZE}`);
  }
  return 8 + Number(n);
}

function parseHeader(bytes: Uint8Array, fileSize: number): { header: Record<string, unknown>; dataStart: number } {
  const len = safetensorsHeaderSize(bytes) - 8;
  if (8 + len > fileSize) {
    throw new CheckpointError(`safetensors: header length ${len} + 8 exceeds the file size ${fileSize}`);
  }
  if (8 + len > bytes.length) {
    throw new CheckpointError(`safetensors: the header needs the first ${8 + len} bytes, got ${bytes.length}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + len));
  } catch {
    throw new CheckpointError('safetensors: header is not valid UTF-8');
  }
  // The Rust crate requires the header to start with '{' (trailing space padding is allowed).
  if (!text.startsWith('{')) {
    throw new CheckpointError(`safetensors: header must start with '{', got ${JSON.stringify(text.slice(0, 16))}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`safetensors: header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new CheckpointError('safetensors: header must be a JSON object');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + len };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CheckpointError(`safetensors: __metadata__ must be an object of strings, got ${JSON.stringify(value)}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new CheckpointError(`safetensors: __metadata__.${k} must be a string, got ${JSON.stringify(v)}`);
    }
    // defineProperty, not `out[k] = v`: a key named __proto__ must stay an ordinary entry
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function parseEntry(name: string, info: unknown): Entry {
  if (info === null || typeof info !== 'object' || Array.isArray(info)) {
    throw new CheckpointError(`safetensors: tensor ${name}: expected {dtype, shape, data_offsets}, got ${JSON.stringify(info)}`);
  }
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (dtype === undefined || shape === undefined || offsets === undefined) {
    const missing = ['dtype', 'shape', 'data_offsets'].filter((k) => !(k in info));
    throw new CheckpointError(`safetensors: tensor ${name}: missing ${missing.join(', ')}`);
  }
  if (!isDType(dtype)) {
    throw new CheckpointError(
      `safetensors: tensor ${name}: dtype must be one of ${Object.keys(DTYPE_SIZE).join('/')}, got ${JSON.stringify(dtype)}`,
    );
  }
  if (!Array.isArray(shape)) {
    throw new CheckpointError(`safetensors: tensor ${name}: shape must be an array, got ${JSON.stringify(shape)}`);
  }
  numel(shape as number[], `safetensors: tensor ${name}`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)
  ) {
    throw new CheckpointError(
      `safetensors: tensor ${name}: data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(offsets)}`,
    );
  }
  return { name, dtype, shape: (shape as number[]).slice(), begin: offsets[0] as number, end: offsets[1] as number };
}

/**
 * Parses and validates the header of a safetensors file of `fileSize` bytes from its first bytes (at least
 * `8 + header length`: fetch e.g. the first 8 bytes, then the header, then each tensor's byte range). Validation is
 * complete: a file whose header passes has every tensor inside it, contiguous, with matching byte lengths.
 */
export function readSafetensorsHeader(bytes: Uint8Array, fileSize = bytes.length): SafetensorsHeader {
  const { header, dataStart } = parseHeader(bytes, fileSize);
  const dataLen = fileSize - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') metadata = parseMetadata(info);
    else entries.push(parseEntry(name, info));
  }
  for (const e of entries) {
    if (e.begin > e.end) {
      throw new CheckpointError(`safetensors: tensor ${e.name}: data_offsets begin ${e.begin} > end ${e.end}`);
    }
    if (e.end > dataLen) {
      throw new CheckpointError(
        `safetensors: tensor ${e.name}: data_offsets end ${e.end} is past the data buffer (${dataLen} bytes)`,
      );
    }
    const want = numel(e.shape) * DTYPE_SIZE[e.dtype];
    if (e.end - e.begin !== want) {
      throw new CheckpointError(
        `safetensors: tensor ${e.name}: shape [${e.shape.join(', ')}] ${e.dtype} needs ${want} bytes, data_offsets [${e.begin}, ${e.end}] span ${e.end - e.begin}`,
      );
    }
  }
  // Like Metadata::validate: sorted by offsets, each tensor starts where the previous ended (no overlap, no gap)
  // and the last one ends at the end of the buffer.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev = '(start of data)';
  for (const e of sorted) {
    if (e.begin < pos) {
      throw new CheckpointError(
        `safetensors: tensor ${e.name}: data_offsets [${e.begin}, ${e.end}] overlap ${prev}, which ends at ${pos}`,
      );
    }
    if (e.begin > pos) {
      throw new CheckpointError(
        `safetensors: tensor ${e.name}: expected to start at ${pos} (right after ${prev}), got ${e.begin}: gap in the data buffer`,
      );
    }
    pos = e.end;
    prev = e.name;
  }
  if (pos !== dataLen) {
    throw new CheckpointError(
      `safetensors: tensors cover ${pos} bytes of the data buffer, expected all ${dataLen} (trailing bytes)`,
    );
  }
  const tensors = new Map<string, SafetensorsEntry>();
  for (const e of entries) {
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, begin: dataStart + e.begin, end: dataStart + e.end });
  }
  return { tensors, metadata, dataStart };
}

/**
 * Parses and validates a safetensors file. Tensor data are zero-copy views into `bytes` when aligned (copies
 * otherwise), so keep `bytes` unmodified while the tensors are in use.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { tensors: entries, metadata } = readSafetensorsHeader(bytes);
  const tensors = new Map<string, RawTensor>();
  for (const [name, e] of entries) {
    tensors.set(name, { dtype: e.dtype, shape: e.shape, data: typedView(e.dtype, bytes, e.begin, numel(e.shape)) });
  }
  return { tensors, metadata };
}

// Rank of each dtype in the Rust crate's `Dtype` enum order; `serialize` writes tensors by descending rank, then
// by name, which keeps every tensor aligned to its element size (the data start is a multiple of 8).
const DTYPE_RANK: Readonly<Record<DType, number>> = {
  BOOL: 0,
  U8: 1,
  I8: 2,
  I16: 3,
  F16: 4,
  BF16: 5,
  I32: 6,
  F32: 7,
  F64: 8,
  I64: 9,
};

/**
 * Serializes tensors as the safetensors Rust crate does (`safetensors.torch.save_file`, HF `save_pretrained`):
 * tensors ordered by dtype then name, contiguous; compact JSON header with `__metadata__` last, padded with spaces
 * to a multiple of 8 bytes. `metadata` defaults to `{"format": "pt"}`, which `from_pretrained` requires; a given
 * metadata object gets `format: "pt"` unless it sets `format` itself.
 */
export function writeSafetensors(
  tensors: Map<string, RawTensor> | Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new CheckpointError('safetensors: a tensor cannot be named __metadata__');
    checkRawTensor(name, t);
  }
  const meta: Record<string, string> = { format: 'pt', ...(metadata ?? {}) };
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== 'string') {
      throw new CheckpointError(`safetensors: metadata.${k} must be a string, got ${JSON.stringify(v)}`);
    }
  }
  list.sort(([an, a], [bn, b]) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || (an < bn ? -1 : an > bn ? 1 : 0));
  // The JSON is assembled by hand: a JS object would move integer-like names ("0", "12") to the front.
  const parts: string[] = [];
  let offset = 0;
  for (const [name, t] of list) {
    const size = t.data.byteLength;
    const info = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset += size;
  }
  const metaJson = Object.keys(meta)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(meta[k])}`)
    .join(',');
  parts.push(`"__metadata__":{${metaJson}}`);
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen); // space padding, as the Rust crate
  let pos = 8 + headerLen;
  for (const [, t] of list) {
    out.set(littleEndianBytes(t), pos);
    pos += t.data.byteLength;
  }
  return out;
}
