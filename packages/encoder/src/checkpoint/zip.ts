// Just enough of the ZIP format (APPNOTE.TXT) to read a torch >= 1.6 checkpoint: `torch.save` writes a zip of
// *stored* (uncompressed) entries through PyTorchStreamWriter (caffe2/serialize/inline_container.cc), padding
// each local header's extra field so that tensor data start on a 64-byte boundary, and switches to ZIP64 records
// when the archive passes 4 GiB. Entries are located through the central directory, never by scanning.
import { CheckpointError } from './raw-tensor';

export interface ZipEntry {
  name: string;
  /** 0 = stored; anything else is rejected when the data are read. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** True when the bytes start with a zip local file header ("PK\x03\x04"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function u64(dv: DataView, at: number, what: string): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(`zip: ${what} ${v} is too large`);
  return Number(v);
}

function findEocd(bytes: Uint8Array, dv: DataView): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let p = bytes.length - 22; p >= stop; p--) {
    if (dv.getUint32(p, true) === SIG_EOCD && p + 22 + dv.getUint16(p + 20, true) === bytes.length) return p;
  }
  throw new CheckpointError(
    `zip: end of central directory record not found in ${bytes.length} bytes (not a zip archive, or truncated)`,
  );
}

/** The entries of a zip archive, by name, read from its central directory. */
export function readZipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(bytes, dv);
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== SIG_EOCD64_LOCATOR) {
      throw new CheckpointError('zip: ZIP64 values in the end record but no ZIP64 locator before it');
    }
    const at = u64(dv, loc + 8, 'ZIP64 end record offset');
    if (at + 56 > bytes.length || dv.getUint32(at, true) !== SIG_EOCD64) {
      throw new CheckpointError(`zip: ZIP64 end of central directory record not found at offset ${at}`);
    }
    count = u64(dv, at + 32, 'entry count');
    cdSize = u64(dv, at + 40, 'central directory size');
    cdOffset = u64(dv, at + 48, 'central directory offset');
  }
  if (cdOffset + cdSize > bytes.length) {
    throw new CheckpointError(
      `zip: central directory [${cdOffset}, ${cdOffset + cdSize}) is past the end of the file (${bytes.length} bytes): truncated?`,
    );
  }
  const utf8 = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || dv.getUint32(p, true) !== SIG_CENTRAL) {
      throw new CheckpointError(`zip: central directory entry ${i} of ${count} is malformed at offset ${p}`);
    }
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) throw new CheckpointError(`zip: central directory entry ${i} overruns the directory`);
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (flags & 1) throw new CheckpointError(`zip: entry ${name} is encrypted`);
    // ZIP64 extended information (header id 1): 8-byte values for exactly the fields that read 0xffffffff.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = dv.getUint16(x, true);
      const len = dv.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        const need = 8 * [size, compressedSize, localHeaderOffset].filter((v) => v === 0xffffffff).length;
        if (need > len || x + 4 + len > p + 46 + nameLen + extraLen) {
          throw new CheckpointError(`zip: entry ${name}: ZIP64 extra field holds ${len} bytes, needs ${need}`);
        }
        if (size === 0xffffffff) {
          size = u64(dv, q, `${name} size`);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(dv, q, `${name} compressed size`);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(dv, q, `${name} offset`);
      }
      x += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = end;
  }
  return entries;
}

/** The bytes of a stored entry (a view into `bytes`, no copy). */
export function zipEntryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.method !== 0) {
    throw new CheckpointError(
      `zip: entry ${entry.name} uses compression method ${entry.method}, expected 0 (stored, as torch.save writes)`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== SIG_LOCAL) {
    throw new CheckpointError(`zip: entry ${entry.name}: no local file header at offset ${at}`);
  }
  // The local extra field differs from the central one (torch pads it for alignment): use the local lengths.
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  if (entry.compressedSize !== entry.size) {
    throw new CheckpointError(`zip: stored entry ${entry.name} has size ${entry.size} != compressed ${entry.compressedSize}`);
  }
  if (start + entry.size > bytes.length) {
    throw new CheckpointError(
      `zip: entry ${entry.name} data [${start}, ${start + entry.size}) is past the end of the file (${bytes.length} bytes)`,
    );
  }
  return bytes.subarray(start, start + entry.size);
}
