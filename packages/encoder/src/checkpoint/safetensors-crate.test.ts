// writeSafetensors against a file the Rust crate wrote (testdata/safetensors-0.8, see its README).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { f32ToBF16, f32ToF16, type RawTensor } from './raw-tensor';
import { readSafetensors, writeSafetensors } from './safetensors';

const vals = [1, -2.5, 0.1, 65504, 1e-7, -0, 3.14159];
const tensors: Record<string, RawTensor> = {
  f32: { dtype: 'F32', shape: [7], data: Float32Array.from(vals) },
  f16: { dtype: 'F16', shape: [7], data: Uint16Array.from(vals, f32ToF16) },
  bf16: { dtype: 'BF16', shape: [7], data: Uint16Array.from(vals, f32ToBF16) },
  f64: { dtype: 'F64', shape: [7], data: Float64Array.from(vals) },
  i64: { dtype: 'I64', shape: [3], data: BigInt64Array.from([-1n, 1n << 40n, 7n]) },
  i32: { dtype: 'I32', shape: [1, 3], data: Int32Array.from([-5, 0, 2147483647]) },
  i16: { dtype: 'I16', shape: [2], data: Int16Array.from([-300, 300]) },
  i8: { dtype: 'I8', shape: [2], data: Int8Array.from([-7, 7]) },
  u8: { dtype: 'U8', shape: [3], data: Uint8Array.from([0, 128, 255]) },
  bool: { dtype: 'BOOL', shape: [3], data: Uint8Array.from([1, 0, 1]) },
  scalar: { dtype: 'F32', shape: [], data: Float32Array.from([2.5]) },
  empty: { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) },
  '10': { dtype: 'F32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
};

function split(bytes: Uint8Array): { header: Record<string, unknown>; keys: string[]; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  const keys = [...text.matchAll(/"([^"]+)":\{"dtype"/g)].map((m) => m[1]);
  return { header: JSON.parse(text), keys, data: bytes.subarray(8 + n) };
}

describe('writeSafetensors lays tensors out as the safetensors Rust crate (0.8.0) does', () => {
  const crate = new Uint8Array(
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'safetensors-0.8', 'mixed.safetensors')),
  );
  const mine = writeSafetensors(tensors, { note: 'bertkit' });
  it('same tensor order (dtype, then name), offsets, metadata and data bytes', () => {
    const a = split(mine);
    const b = split(crate);
    expect(a.keys).toEqual(b.keys);
    expect(a.keys).toEqual(['i64', 'f64', '10', 'empty', 'f32', 'scalar', 'i32', 'bf16', 'f16', 'i16', 'i8', 'u8', 'bool']);
    expect(a.header).toEqual(b.header);
    expect(Buffer.compare(a.data, b.data)).toBe(0);
  });
  it('reads the crate file back to the same values', () => {
    const { tensors: back, metadata } = readSafetensors(crate);
    expect(metadata).toEqual({ format: 'pt', note: 'bertkit' });
    for (const [name, t] of Object.entries(tensors)) {
      const r = back.get(name)!;
      expect([r.dtype, r.shape], name).toEqual([t.dtype, t.shape]);
      expect(Array.from(r.data as ArrayLike<number | bigint>), name).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
    }
  });
});
