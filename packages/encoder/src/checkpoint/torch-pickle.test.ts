import { readFileSync } from 'node:fs';
import { fixturePath, fixturesMissing } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { CheckpointError, toFloat32, type RawTensor } from './raw-tensor';
import { readSafetensors } from './safetensors';
import { readTorchBin } from './torch-pickle';
import { readZipEntries } from './zip';

/** Writes a zip of stored entries (CRC left 0: the reader does not check it); `method` fakes compression. */
function makeZip(files: [string, Uint8Array][], method = 0): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const n = enc.encode(name);
    const local = new Uint8Array(30 + n.length);
    const dv = new DataView(local.buffer);
    dv.setUint32(0, 0x04034b50, true);
    dv.setUint16(8, method, true);
    dv.setUint32(18, data.length, true);
    dv.setUint32(22, data.length, true);
    dv.setUint16(26, n.length, true);
    local.set(n, 30);
    const c = new Uint8Array(46 + n.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, method, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    c.set(n, 46);
    parts.push(local, data);
    central.push(c);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let p = 0;
  for (const a of all) {
    out.set(a, p);
    p += a.length;
  }
  return out;
}

/** A pickle written opcode by opcode, the way torch.save's pickler (protocol 2) lays out a state dict. */
class Pickle {
  readonly b: number[] = [0x80, 2];
  op(...xs: number[]): this {
    this.b.push(...xs);
    return this;
  }
  str(s: string): this {
    const u = new TextEncoder().encode(s);
    return this.op(0x58, u.length & 255, (u.length >> 8) & 255, 0, 0, ...u);
  }
  int(n: number): this {
    return n < 256 ? this.op(0x4b, n) : this.op(0x4a, n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
  }
  global(module: string, name: string): this {
    return this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }
  tuple(xs: number[]): this {
    this.op(0x28);
    for (const x of xs) this.int(x);
    return this.op(0x74);
  }
  tensor(type: string, key: string, storageNumel: number, offset: number, size: number[], stride: number[]): this {
    this.global('torch._utils', '_rebuild_tensor_v2').op(0x28);
    this.op(0x28).str('storage').global('torch', type).str(key).str('cpu').int(storageNumel).op(0x74, 0x51);
    this.int(offset).tuple(size).tuple(stride).op(0x89);
    return this.global('collections', 'OrderedDict').op(0x29, 0x52, 0x74, 0x52);
  }
  bytes(): Uint8Array {
    return Uint8Array.from([...this.b, 0x2e]);
  }
}

const f32Bytes = (xs: number[]): Uint8Array => new Uint8Array(Float32Array.from(xs).buffer);
const values = (t: RawTensor): number[] => Array.from(toFloat32(t));

function expectError(f: () => unknown, ...parts: (string | RegExp)[]): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CheckpointError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
}

describe('readTorchBin on hand-made archives', () => {
  it('honours storage offset, size and stride, shared storages and dtypes', () => {
    const p = new Pickle().op(0x7d, 0x71, 0, 0x28);
    // storage 0: 8 floats. a = storage[2:8] as [2, 3]; b = a transposed ([3, 2], stride (1, 3)), same storage.
    p.str('a').tensor('FloatStorage', '0', 8, 2, [2, 3], [3, 1]);
    p.str('b').tensor('FloatStorage', '0', 8, 2, [3, 2], [1, 3]);
    p.str('h').tensor('HalfStorage', '1', 2, 0, [2], [1]);
    p.str('ids').tensor('LongStorage', '2', 3, 0, [1, 3], [3, 1]);
    p.str('scalar').tensor('FloatStorage', '0', 8, 7, [], []);
    p.str('empty').tensor('FloatStorage', '0', 8, 0, [0, 4], [4, 1]);
    // a Parameter (torch._utils._rebuild_parameter(tensor, requires_grad, hooks)) inside a nested dict
    p.str('sub').op(0x7d, 0x28).str('w').global('torch._utils', '_rebuild_parameter').op(0x28);
    p.tensor('BFloat16Storage', '3', 1, 0, [1], [1]).op(0x88).global('collections', 'OrderedDict');
    p.op(0x29, 0x52, 0x74, 0x52, 0x75);
    p.op(0x75);
    // state_dict()._metadata arrives as the OrderedDict's BUILD state and is dropped
    p.op(0x7d, 0x28).str('_metadata').op(0x7d, 0x75, 0x62);
    const ids = new Uint8Array(new BigInt64Array([0n, -5n, 1n << 40n]).buffer);
    const zip = makeZip([
      ['archive/data.pkl', p.bytes()],
      ['archive/byteorder', new TextEncoder().encode('little')],
      ['archive/data/0', f32Bytes([0, 1, 10, 11, 12, 20, 21, 22])],
      ['archive/data/1', Uint8Array.from([0x00, 0x3c, 0x00, 0xc0])],
      ['archive/data/2', ids],
      ['archive/data/3', Uint8Array.from([0x80, 0x3f])],
      ['archive/version', new TextEncoder().encode('3\n')],
    ]);
    const t = readTorchBin(zip);
    expect([...t.keys()]).toEqual(['a', 'b', 'h', 'ids', 'scalar', 'empty', 'sub.w']);
    expect(t.get('a')!.shape).toEqual([2, 3]);
    expect(values(t.get('a')!)).toEqual([10, 11, 12, 20, 21, 22]);
    expect(t.get('b')!.shape).toEqual([3, 2]);
    expect(values(t.get('b')!)).toEqual([10, 20, 11, 21, 12, 22]);
    expect(t.get('h')!.dtype).toBe('F16');
    expect(values(t.get('h')!)).toEqual([1, -2]);
    expect(t.get('ids')!.dtype).toBe('I64');
    expect(Array.from(t.get('ids')!.data as BigInt64Array)).toEqual([0n, -5n, 1n << 40n]);
    expect(t.get('scalar')!.shape).toEqual([]);
    expect(values(t.get('scalar')!)).toEqual([22]);
    expect(t.get('empty')!.data.length).toBe(0);
    expect(t.get('sub.w')!.dtype).toBe('BF16');
    expect(values(t.get('sub.w')!)).toEqual([1]);
  });

  it('reads big-endian storages when byteorder says so', () => {
    const p = new Pickle().op(0x7d, 0x28).str('x').tensor('FloatStorage', '0', 2, 0, [2], [1]).op(0x75);
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -3, false);
    const zip = makeZip([
      ['m/data.pkl', p.bytes()],
      ['m/byteorder', new TextEncoder().encode('big')],
      ['m/data/0', be],
    ]);
    expect(values(readTorchBin(zip).get('x')!)).toEqual([1.5, -3]);
  });

  it('accepts the protocol 4 framing opcodes (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, LONG1)', () => {
    const enc = (s: string): number[] => [0x8c, s.length, ...new TextEncoder().encode(s)];
    const pkl = Uint8Array.from([
      0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0, // PROTO 4, FRAME
      0x7d, 0x94, 0x28, ...enc('x'), 0x94, // EMPTY_DICT MEMOIZE MARK 'x'
      ...enc('torch._utils'), ...enc('_rebuild_tensor_v2'), 0x93, 0x28, // STACK_GLOBAL MARK
      0x28, ...enc('storage'), ...enc('torch'), ...enc('FloatStorage'), 0x93, ...enc('0'), ...enc('cpu'), 0x8a, 1, 3,
      0x74, 0x51, // TUPLE BINPERSID
      0x8a, 0, 0x4b, 3, 0x85, 0x4b, 1, 0x85, 0x89, 0x4e, 0x74, 0x52, // offset LONG1(0), (3,), (1,), False, None
      0x75, 0x2e,
    ]);
    const zip = makeZip([
      ['a/data.pkl', pkl],
      ['a/data/0', f32Bytes([4, 5, 6])],
    ]);
    expect(values(readTorchBin(zip).get('x')!)).toEqual([4, 5, 6]);
  });
});

describe('readTorchBin rejects malformed input', () => {
  const good = (): [string, Uint8Array][] => [
    ['archive/data.pkl', new Pickle().op(0x7d, 0x28).str('x').tensor('FloatStorage', '0', 2, 0, [2], [1]).op(0x75).bytes()],
    ['archive/data/0', f32Bytes([1, 2])],
  ];
  it('a truncated zip', () => {
    const zip = makeZip(good());
    expect(values(readTorchBin(zip).get('x')!)).toEqual([1, 2]);
    expectError(() => readTorchBin(zip.subarray(0, zip.length - 30)), 'end of central directory record not found');
    expectError(() => readTorchBin(zip.subarray(0, 10)), 'end of central directory');
  });
  it('a disallowed GLOBAL such as os.system', () => {
    const p = new Pickle().global('os', 'system').str('echo pwned').op(0x85, 0x52);
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', p.bytes()]])), 'opcode 0x63 (GLOBAL) at offset 2', 'os.system is not allowed');
    const q = new Pickle().global('torch', 'load').op(0x29, 0x52);
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', q.bytes()]])), 'torch.load is not allowed');
    for (const name of ['constructor', '__proto__', 'toString']) {
      const r = new Pickle().global('torch', name);
      expectError(() => readTorchBin(makeZip([['archive/data.pkl', r.bytes()]])), `torch.${name} is not allowed`);
    }
    // a storage class is only a persistent-id tag: calling it is refused too
    const c = new Pickle().global('torch', 'FloatStorage').op(0x29, 0x52);
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', c.bytes()]])), 'REDUCE', 'calling torch.FloatStorage is not allowed');
  });
  it('an opcode a state dict never uses', () => {
    const p = new Pickle().op(0x7d, 0x49, ...new TextEncoder().encode('42\n')); // INT (text)
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', p.bytes()]])), 'opcode 0x49 (unknown) at offset 3');
    const q = new Pickle().op(0x7d, 0x81); // NEWOBJ
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', q.bytes()]])), 'opcode 0x81', 'offset 3');
  });
  it('a truncated pickle, a stack underflow, a memo miss', () => {
    const p = new Pickle().str('abc').bytes().subarray(0, 6);
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', p]])), 'BINUNICODE', 'truncated data.pkl');
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', new Pickle().op(0x73).bytes()]])), 'SETITEM', 'stack underflow');
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', new Pickle().op(0x68, 9).bytes()]])), 'memo key 9');
  });
  it('a tensor past the end of its storage, a missing storage, a bad persistent id', () => {
    const p = new Pickle().op(0x7d, 0x28).str('x').tensor('FloatStorage', '0', 2, 1, [2], [1]).op(0x75);
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', p.bytes()], ['archive/data/0', f32Bytes([1, 2])]])), 'tensor x', 'reaches element 2', 'has 2');
    expectError(() => readTorchBin(makeZip([good()[0]])), 'archive/data/0 is missing');
    const q = new Pickle().op(0x7d, 0x28).str('x').str('pid').op(0x51, 0x75);
    expectError(() => readTorchBin(makeZip([['archive/data.pkl', q.bytes()]])), 'BINPERSID at offset', "expected ('storage'");
  });
  it('no data.pkl, a compressed entry, the legacy format, not a zip', () => {
    expectError(() => readTorchBin(makeZip([['archive/data/0', f32Bytes([1])]])), 'found none');
    expectError(() => readTorchBin(makeZip(good(), 8)), 'compression method 8');
    expectError(() => readTorchBin(Uint8Array.from([0x80, 0x02, 0x8a, 0x0a])), 'legacy (pre-1.6, non-zip)');
    expectError(() => readTorchBin(new TextEncoder().encode('{"x": 1}')), 'not a zip archive', '7b 22 78 22');
  });
});

/** A small seeded generator for the fuzz cases (mulberry32): deterministic, no Math.random. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readTorchBin on corrupted bytes', () => {
  it('either reads or throws a CheckpointError, never anything else (2000 seeded mutations)', () => {
    const p = new Pickle().op(0x7d, 0x28);
    p.str('a').tensor('FloatStorage', '0', 6, 0, [2, 3], [3, 1]);
    p.str('t').tensor('FloatStorage', '0', 6, 0, [3, 2], [1, 3]);
    p.str('i').tensor('LongStorage', '1', 2, 0, [2], [1]).op(0x75);
    const zip = makeZip([
      ['archive/data.pkl', p.bytes()],
      ['archive/data/0', f32Bytes([1, 2, 3, 4, 5, 6])],
      ['archive/data/1', new Uint8Array(16)],
    ]);
    const rand = mulberry32(1234);
    const pklStart = 30 + 'archive/data.pkl'.length;
    const others: string[] = [];
    let read = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = zip.slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) {
        // half the flips hit the pickle, the rest anywhere (zip records included)
        const at = rand() < 0.5 ? pklStart + Math.floor(rand() * p.b.length) : Math.floor(rand() * bytes.length);
        bytes[at] = Math.floor(rand() * 256);
      }
      const input = rand() < 0.2 ? bytes.subarray(0, Math.floor(rand() * bytes.length)) : bytes;
      try {
        readTorchBin(input);
        read++;
      } catch (e) {
        if (!(e instanceof CheckpointError)) others.push(`case ${i}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    expect(others).toEqual([]);
    expect(read).toBeGreaterThan(0); // some mutations are harmless (e.g. in the values)
  });
});

const missing = fixturesMissing('encoder/models/odd/base-legacy-bin');
describe.skipIf(missing)(`readTorchBin on the HF fixture ${missing ?? ''}`, () => {
  it('odd/base-legacy-bin/pytorch_model.bin holds exactly the tensors of odd/base/model.safetensors', () => {
    const bin = new Uint8Array(readFileSync(fixturePath('encoder', 'models/odd/base-legacy-bin/pytorch_model.bin')));
    const st = new Uint8Array(readFileSync(fixturePath('encoder', 'models/odd/base/model.safetensors')));
    expect([...readZipEntries(bin).keys()]).toContain('pytorch_model/data.pkl');
    const legacy = readTorchBin(bin);
    const { tensors } = readSafetensors(st);
    // Saved with the pre-2018 LayerNorm names and the position_ids buffer (mapping names is the loader's job).
    const rename = (n: string): string => n.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
    expect(legacy.size).toBe(tensors.size + 1);
    for (const [name, t] of legacy) {
      if (name === 'embeddings.position_ids') continue;
      const ref = tensors.get(rename(name));
      expect(ref, name).toBeDefined();
      expect(t.dtype, name).toBe(ref!.dtype);
      expect(t.shape, name).toEqual(ref!.shape);
      const a = t.data as Float32Array;
      const b = ref!.data as Float32Array;
      let same = a.length === b.length;
      for (let i = 0; same && i < a.length; i++) same = Object.is(a[i], b[i]);
      expect(same, name).toBe(true);
    }
    const pos = legacy.get('embeddings.position_ids')!;
    expect(pos.dtype).toBe('I64');
    expect(pos.shape).toEqual([1, 512]);
    expect(Array.from(pos.data as BigInt64Array, Number)).toEqual(Array.from({ length: 512 }, (_, i) => i));
  });
});
