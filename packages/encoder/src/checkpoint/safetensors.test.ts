import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, fixturesMissing } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  f16ToF32,
  f32BitsToF16,
  f32ToBF16,
  f32ToF16,
  fromFloat32,
  toFloat32,
  toInt32,
  type RawTensor,
} from './raw-tensor';
import { readSafetensors, readSafetensorsHeader, safetensorsHeaderSize, writeSafetensors } from './safetensors';

/** A safetensors file from a hand-written header object and data bytes (header padded like the Rust crate). */
function handMade(header: unknown, data: Uint8Array | number = 0, rawHeader?: string): Uint8Array {
  const text = rawHeader ?? JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

function expectError(bytes: Uint8Array, ...parts: string[]): void {
  let err: unknown;
  try {
    readSafetensors(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CheckpointError);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.safetensors') ? [p] : [];
  });
}

/** Index of the first differing byte, or -1 (vitest's toEqual is far too slow on megabyte arrays). */
function firstDiff(a: ArrayBufferView, b: ArrayBufferView): number {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? -1 : n;
}

const f32 = (xs: number[]): RawTensor => ({ dtype: 'F32', shape: [xs.length], data: Float32Array.from(xs) });

describe('safetensors round trip', () => {
  it('writes the layout of the Rust crate and reads it back', () => {
    const tensors: Record<string, RawTensor> = {
      'b.weight': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -0]) },
      a: { dtype: 'I64', shape: [3], data: BigInt64Array.from([1n, -100n, 2n ** 40n]) },
      h: { dtype: 'F16', shape: [3], data: Uint16Array.from([0x3c00, 0xc000, 0x0001]) },
      bf: { dtype: 'BF16', shape: [1], data: Uint16Array.from([0x3f80]) },
      i: { dtype: 'I32', shape: [], data: Int32Array.from([-7]) },
      m: { dtype: 'BOOL', shape: [0, 4], data: new Uint8Array(0) },
      '12': { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 255]) },
    };
    const bytes = writeSafetensors(tensors, { note: 'x' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    // dtype rank descending (I64, F32, I32, BF16, F16, U8, BOOL) then name; __metadata__ last; space padding.
    expect(header.trimEnd()).toBe(
      '{"a":{"dtype":"I64","shape":[3],"data_offsets":[0,24]},' +
        '"b.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[24,48]},' +
        '"i":{"dtype":"I32","shape":[],"data_offsets":[48,52]},' +
        '"bf":{"dtype":"BF16","shape":[1],"data_offsets":[52,54]},' +
        '"h":{"dtype":"F16","shape":[3],"data_offsets":[54,60]},' +
        '"12":{"dtype":"U8","shape":[3],"data_offsets":[60,63]},' +
        '"m":{"dtype":"BOOL","shape":[0,4],"data_offsets":[63,63]},' +
        '"__metadata__":{"format":"pt","note":"x"}}',
    );
    expect(header.length - header.trimEnd().length).toBe(n - header.trimEnd().length);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt', note: 'x' });
    expect([...back.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const r = back.tensors.get(name)!;
      expect(r.dtype).toBe(t.dtype);
      expect(r.shape).toEqual(t.shape);
      expect(Array.from(r.data as ArrayLike<number | bigint>)).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
    }
    expect(Object.is(toFloat32(back.tensors.get('b.weight')!)[5], -0)).toBe(true);
    // re-writing what was read gives the same bytes
    expect(firstDiff(writeSafetensors(back.tensors, back.metadata), bytes)).toBe(-1);
  });

  it('reads the header alone from the first bytes (for ranged fetches)', () => {
    const bytes = writeSafetensors({ w: f32([1, 2, 3]), b: { dtype: 'I64', shape: [1], data: BigInt64Array.from([4n]) } });
    const size = safetensorsHeaderSize(bytes.subarray(0, 8));
    const head = readSafetensorsHeader(bytes.subarray(0, size), bytes.length);
    expect(head.dataStart).toBe(size);
    expect(head.metadata).toEqual({ format: 'pt' });
    expect([...head.tensors]).toEqual([
      ['b', { dtype: 'I64', shape: [1], begin: size, end: size + 8 }],
      ['w', { dtype: 'F32', shape: [3], begin: size + 8, end: size + 20 }],
    ]);
    expect(() => readSafetensorsHeader(bytes.subarray(0, 8), bytes.length)).toThrow(
      new RegExp(`the header needs the first ${size} bytes, got 8`),
    );
    expect(() => readSafetensorsHeader(bytes.subarray(0, size), bytes.length + 4)).toThrow(/expected all/);
  });

  it('defaults the metadata to {"format":"pt"} (required by from_pretrained)', () => {
    const back = readSafetensors(writeSafetensors(new Map([['x', f32([1])]])));
    expect(back.metadata).toEqual({ format: 'pt' });
  });

  it('copies data that is not aligned to its element size', () => {
    // U8 [1] then F32 [2]: the F32 data starts at an odd offset.
    const data = new Uint8Array(9);
    data[0] = 7;
    new DataView(data.buffer).setFloat32(1, 1.5, true);
    new DataView(data.buffer).setFloat32(5, -2.25, true);
    const bytes = handMade({
      u: { dtype: 'U8', shape: [1], data_offsets: [0, 1] },
      f: { dtype: 'F32', shape: [2], data_offsets: [1, 9] },
    }, data);
    const { tensors } = readSafetensors(bytes);
    expect(Array.from(tensors.get('f')!.data as Float32Array)).toEqual([1.5, -2.25]);
    expect(Array.from(tensors.get('u')!.data as Uint8Array)).toEqual([7]);
  });

  it('rejects tensors whose data does not match their dtype or shape when writing', () => {
    expect(() => writeSafetensors({ x: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(
      /x: shape \[3\] holds 3 values, data has 2/,
    );
    expect(() => writeSafetensors({ x: { dtype: 'F16', shape: [2], data: new Float32Array(2) } })).toThrow(
      /x: dtype F16 needs a Uint16Array, got Float32Array/,
    );
  });
});

describe('dtype conversion', () => {
  it('widens F16 exactly (hand values)', () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125],
      [0x7bff, 65504],
      [0x0400, 2 ** -14],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    const t: RawTensor = { dtype: 'F16', shape: [cases.length], data: Uint16Array.from(cases.map((c) => c[0])) };
    expect(Array.from(toFloat32(t))).toEqual(cases.map((c) => c[1]));
    expect(Object.is(f16ToF32(0x8000), -0)).toBe(true);
    expect(f16ToF32(0x7e00)).toBeNaN();
    for (const [h, v] of cases) expect(f32ToF16(v)).toBe(h);
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(f32ToF16(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(f32ToF16(70000)).toBe(0x7c00);
  });

  it('widens every F16 bit pattern like the arithmetic reference (fast bit path = f16ToF32)', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const fast = toFloat32({ dtype: 'F16', shape: [65536], data: all });
    let bad = -1;
    for (let i = 0; i < 65536 && bad < 0; i++) {
      const ref = f16ToF32(i);
      if (!(Object.is(fast[i], ref) || (Number.isNaN(ref) && Number.isNaN(fast[i])))) bad = i;
    }
    expect(bad).toBe(-1);
    // and the round trip f32 → f16 → f32 is the identity on every non-NaN pattern
    for (let i = 0; i < 65536 && bad < 0; i++) if (!Number.isNaN(fast[i]) && f32ToF16(fast[i]) !== i) bad = i;
    expect(bad).toBe(-1);
  });

  it('narrows float32 bit patterns to F16 exactly like the arithmetic reference', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const probes: number[] = [];
    for (let h = 0; h < 0x7c00; h++) {
      // every finite f16, the midpoint to the next one (a tie) and one float32 ulp either side of it
      const a = f16ToF32(h);
      const mid = (a + f16ToF32(h + 1)) / 2;
      for (const v of [a, mid]) {
        f[0] = v;
        probes.push(u[0], u[0] - 1, u[0] + 1, u[0] | 0x80000000);
      }
    }
    let seed = 7;
    for (let i = 0; i < 100_000; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; // seeded LCG: arbitrary bit patterns incl. NaN
      probes.push(seed);
    }
    const bad: string[] = [];
    for (const p of probes) {
      u[0] = p >>> 0;
      const ref = f32ToF16(f[0]);
      if (f32BitsToF16(u[0]) !== ref && bad.length < 5) bad.push(`0x${u[0].toString(16)}: ${f32BitsToF16(u[0])} vs ${ref}`);
    }
    expect(bad).toEqual([]);
  });

  it('fromFloat32 rounds to F16/BF16 and widens back', () => {
    const xs = Float32Array.from([1, -2.5, 0.1, 65504, 65520, 1e-7, -0, 3.14159, 1e30, NaN]);
    const h = fromFloat32(xs, [2, 5], 'F16');
    expect(h.dtype).toBe('F16');
    expect(h.shape).toEqual([2, 5]);
    expect(Array.from(toFloat32(h))).toEqual(Array.from(xs, (x) => f16ToF32(f32ToF16(x))));
    const b = fromFloat32(xs, [10], 'BF16');
    expect(Array.from(b.data as Uint16Array)).toEqual(Array.from(xs, f32ToBF16));
    expect(fromFloat32(xs, [10]).data).toBe(xs);
    expect(() => fromFloat32(xs, [3, 3], 'F16')).toThrow(/shape \[3, 3\] holds 9 values, got 10/);
  });

  it('widens BF16 exactly (hand values)', () => {
    const t: RawTensor = { dtype: 'BF16', shape: [4], data: Uint16Array.from([0x3f80, 0xc040, 0x3eab, 0x0001]) };
    expect(Array.from(toFloat32(t))).toEqual([1, -3, 0.333984375, 2 ** -133]);
    expect(f32ToBF16(1)).toBe(0x3f80);
    expect(f32ToBF16(1 / 3)).toBe(0x3eab);
    expect(f32ToBF16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
  });

  it('narrows I64 to int32 with a range check', () => {
    const ok: RawTensor = { dtype: 'I64', shape: [3], data: BigInt64Array.from([0n, -2147483648n, 2147483647n]) };
    expect(Array.from(toInt32(ok))).toEqual([0, -2147483648, 2147483647]);
    const bad: RawTensor = { dtype: 'I64', shape: [2], data: BigInt64Array.from([1n, 2147483648n]) };
    expect(() => toInt32(bad, 'position_ids')).toThrow(/position_ids: I64 value 2147483648 at index 1/);
    expect(() => toInt32(f32([1]), 'w')).toThrow(/w: expected an integer dtype .* got F32/);
  });
});

describe('safetensors validation', () => {
  const ok = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  it('accepts a minimal hand-made file', () => {
    expect(readSafetensors(handMade(ok, 8)).tensors.get('x')!.shape).toEqual([2]);
  });
  it('header length', () => {
    expectError(new Uint8Array(5), 'at least 8 bytes', 'got 5');
    const big = handMade(ok, 8);
    new DataView(big.buffer).setBigUint64(0, 1000n, true);
    expectError(big, 'header length 1000', `file size ${big.length}`);
    new DataView(big.buffer).setBigUint64(0, 2n ** 40n, true);
    expectError(big, 'exceeds the maximum');
  });
  it('header JSON', () => {
    expectError(handMade(null, 0, '{"x": '), 'not valid JSON');
    expectError(handMade(null, 0, '[1, 2]'), "must start with '{'");
    expectError(handMade({ __metadata__: { a: 1 } }), '__metadata__.a must be a string', 'got 1');
    expectError(handMade({ __metadata__: 'pt' }), '__metadata__ must be an object');
  });
  it('entries', () => {
    expectError(handMade({ x: { dtype: 'F32', shape: [2] } }, 8), 'tensor x', 'missing data_offsets');
    expectError(handMade({ x: { dtype: 'F8', shape: [2], data_offsets: [0, 2] } }, 2), 'tensor x', 'got "F8"');
    expectError(handMade({ x: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, 8), 'tensor x', '[2, -1]');
    expectError(handMade({ x: { dtype: 'F32', shape: [2], data_offsets: [0] } }, 8), 'tensor x', 'got [0]');
    expectError(handMade({ x: 3 }), 'tensor x', 'got 3');
  });
  it('offsets', () => {
    expectError(handMade({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, 8), 'tensor x', 'end 16', '8 bytes');
    expectError(handMade({ x: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, 8), 'tensor x', 'begin 8 > end 4');
    expectError(
      handMade({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8),
      'tensor x',
      'F32 needs 12 bytes',
      'span 8',
    );
    expectError(
      handMade({
        x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        y: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      }, 12),
      'tensor y',
      'overlap x',
    );
    expectError(
      handMade({
        x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        y: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
      }, 12),
      'tensor y',
      'expected to start at 4',
      'gap',
    );
    expectError(handMade(ok, 12), 'cover 8 bytes', 'all 12');
    // a duplicated name: JSON keeps the last entry, so the first one's bytes become a gap
    expectError(
      handMade(null, 8, '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'),
      'tensor x',
      'expected to start at 0',
    );
  });
  it('treats a tensor named __proto__ as a name', () => {
    const bytes = writeSafetensors(new Map([['__proto__', f32([5])]]));
    const { tensors } = readSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['__proto__']);
    expect(Array.from(tensors.get('__proto__')!.data as Float32Array)).toEqual([5]);
    const meta = readSafetensors(writeSafetensors({ x: f32([1]) }, JSON.parse('{"__proto__": "p"}'))).metadata;
    expect(Object.entries(meta)).toEqual([['__proto__', 'p'], ['format', 'pt']]);
  });
});

describe('safetensors on corrupted bytes', () => {
  it('either reads or throws a CheckpointError, never anything else (2000 seeded mutations)', () => {
    const good = writeSafetensors({
      'a.weight': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      b: { dtype: 'I64', shape: [2], data: BigInt64Array.from([1n, 2n]) },
      h: { dtype: 'BF16', shape: [1], data: Uint16Array.from([0x3f80]) },
    });
    const headerLen = Number(new DataView(good.buffer).getBigUint64(0, true));
    // mulberry32, seeded: deterministic mutations without Math.random
    let state = 99;
    const rand = (): number => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const digits = '0123456789-.,[]{}":e ';
    const others: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const bytes = good.slice();
      for (let f = 1 + Math.floor(rand() * 3); f > 0; f--) {
        const at = rand() < 0.8 ? 8 + Math.floor(rand() * headerLen) : Math.floor(rand() * 8);
        // mostly JSON-ish characters, so that many mutants still parse and reach the offset checks
        bytes[at] = rand() < 0.7 ? digits.charCodeAt(Math.floor(rand() * digits.length)) : Math.floor(rand() * 256);
      }
      try {
        readSafetensors(rand() < 0.1 ? bytes.subarray(0, Math.floor(rand() * bytes.length)) : bytes);
      } catch (e) {
        if (!(e instanceof CheckpointError)) others.push(`case ${i}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    expect(others).toEqual([]);
  });
});

const missing = fixturesMissing('encoder');
describe.skipIf(missing)(`safetensors fixtures ${missing ?? ''}`, () => {
  const files = missing ? [] : walk(join(fixturesDir(), 'encoder'));
  it('finds the fixture files', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    const rel = file.slice(fixturesDir().length + 1);
    it(`reads ${rel}`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      const { tensors, metadata } = readSafetensors(bytes);
      expect(tensors.size).toBeGreaterThan(0);
      for (const [name, t] of tensors) {
        expect(['F32', 'I64'], name).toContain(t.dtype);
        if (t.dtype === 'F32') expect(toFloat32(t).every((v) => Number.isFinite(v)), name).toBe(true);
        if (t.dtype === 'I64') toInt32(t, name);
      }
      const written = writeSafetensors(tensors, metadata);
      if (rel.startsWith('encoder/models/')) {
        // save_pretrained's files (all F32, {"format":"pt"}) are reproduced byte for byte.
        expect(firstDiff(written, bytes)).toBe(-1);
      }
      const back = readSafetensors(written);
      expect(back.metadata).toEqual({ format: 'pt', ...metadata });
      for (const [name, t] of tensors) {
        const r = back.tensors.get(name)!;
        expect(r.shape, name).toEqual(t.shape);
        expect(firstDiff(r.data, t.data), name).toBe(-1);
      }
    });
  }
});
