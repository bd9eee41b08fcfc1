import { describe, expect, it } from 'vitest';
import { CheckpointError } from './raw-tensor';
import { isZip, readZipEntries, zipEntryData } from './zip';

interface Opts {
  zip64?: boolean;
  /** bytes of local extra field (torch pads it so that data start on a 64-byte boundary) */
  localPad?: number;
  comment?: string;
}

/** A stored-entry zip written field by field after APPNOTE.TXT, optionally with ZIP64 records throughout. */
function makeZip(files: [string, string][], o: Opts = {}): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  /** Appends little-endian fields given as value, byte count, value, byte count, ... */
  const le = (...fields: number[]): void => {
    for (let f = 0; f < fields.length; f += 2) {
      for (let i = 0; i < fields[f + 1]; i++) out.push(Number((BigInt(fields[f]) >> BigInt(8 * i)) & 255n));
    }
  };
  const central: { name: Uint8Array; size: number; offset: number }[] = [];
  for (const [n, d] of files) {
    const name = enc.encode(n);
    const data = enc.encode(d);
    central.push({ name, size: data.length, offset: out.length });
    le(0x04034b50, 4);
    le(20, 2, 0, 2, 0, 2, 0, 4, 0, 4);
    le(data.length, 4, data.length, 4, name.length, 2, o.localPad ?? 0, 2);
    out.push(...name);
    if (o.localPad) {
      le(0x4246, 2, o.localPad - 4, 2); // "FB" padding record, as PyTorchStreamWriter writes
      for (let i = 4; i < o.localPad; i++) out.push(0x5a);
    }
    out.push(...data);
  }
  const cdOffset = out.length;
  const big = o.zip64 ? 0xffffffff : -1;
  for (const c of central) {
    le(0x02014b50, 4);
    le(45, 2, 45, 2, 0, 2, 0, 2, 0, 4, 0, 4);
    le(o.zip64 ? big : c.size, 4, o.zip64 ? big : c.size, 4);
    le(c.name.length, 2, o.zip64 ? 28 : 0, 2, 0, 2, 0, 2, 0, 2, 0, 4);
    le(o.zip64 ? big : c.offset, 4);
    out.push(...c.name);
    if (o.zip64) le(1, 2, 24, 2, c.size, 8, c.size, 8, c.offset, 8);
  }
  const cdSize = out.length - cdOffset;
  if (o.zip64) {
    const at = out.length;
    le(0x06064b50, 4, 44, 8, 45, 2, 45, 2, 0, 4, 0, 4);
    le(files.length, 8, files.length, 8, cdSize, 8, cdOffset, 8);
    le(0x07064b50, 4, 0, 4, at, 8, 1, 4);
  }
  const comment = enc.encode(o.comment ?? '');
  le(0x06054b50, 4, 0, 2, 0, 2);
  le(o.zip64 ? 0xffff : files.length, 2, o.zip64 ? 0xffff : files.length, 2);
  le(o.zip64 ? big : cdSize, 4, o.zip64 ? big : cdOffset, 4, comment.length, 2);
  out.push(...comment);
  return Uint8Array.from(out);
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('zip reader', () => {
  const files: [string, string][] = [
    ['archive/data.pkl', 'pickle bytes'],
    ['archive/data/0', 'tensor'],
    ['archive/version', '3\n'],
  ];
  for (const [label, o] of [
    ['plain', {}],
    ['torch-style padded local headers and a comment', { localPad: 40, comment: 'hello PK\x05\x06 world' }],
    ['ZIP64 records', { zip64: true }],
  ] as [string, Opts][]) {
    it(`reads stored entries (${label})`, () => {
      const zip = makeZip(files, o);
      expect(isZip(zip)).toBe(true);
      const entries = readZipEntries(zip);
      expect([...entries.keys()]).toEqual(files.map((f) => f[0]));
      for (const [name, data] of files) expect(text(zipEntryData(zip, entries.get(name)!))).toBe(data);
    });
  }

  it('rejects truncated archives and broken records', () => {
    const zip = makeZip(files);
    expect(() => readZipEntries(zip.subarray(0, zip.length - 1))).toThrow(/end of central directory record not found/);
    const bad = zip.slice();
    new DataView(bad.buffer).setUint32(bad.length - 6, 1, true); // central directory offset 1
    expect(() => readZipEntries(bad)).toThrow(/central directory entry 0 of 3 is malformed at offset 1/);
    const far = zip.slice();
    new DataView(far.buffer).setUint32(far.length - 6, 1 << 30, true);
    expect(() => readZipEntries(far)).toThrow(CheckpointError);
    const entries = readZipEntries(zip);
    const e = entries.get('archive/data/0')!;
    expect(() => zipEntryData(zip, { ...e, localHeaderOffset: e.localHeaderOffset + 1 })).toThrow(/no local file header/);
    expect(() => zipEntryData(zip.subarray(0, e.localHeaderOffset + 40), e)).toThrow(/past the end of the file/);
    expect(() => zipEntryData(zip, { ...e, method: 8 })).toThrow(/archive\/data\/0 uses compression method 8/);
  });
});
