// readTorchBin on files that torch 2.11 itself wrote (testdata/torch-2.11, see generate.py there): strided views,
// shared and expanded storages, every dtype, Parameters, nested dicts, pickle protocols 2 and 4, torch's
// byteorder/.format_version/.storage_alignment records, and a state_dict() carrying `_metadata`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './raw-tensor';
import { readSafetensors } from './safetensors';
import { readTorchBin } from './torch-pickle';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'torch-2.11');
const load = (f: string): Uint8Array => new Uint8Array(readFileSync(join(dir, f)));
const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('readTorchBin on torch 2.11 output', () => {
  for (const [bin, expected] of [
    ['cases.bin', 'cases-expected.safetensors'],
    ['cases-p4.bin', 'cases-expected.safetensors'],
    ['module.bin', 'module-expected.safetensors'],
  ]) {
    it(`${bin} gives the tensors of ${expected}, bit for bit`, () => {
      const got = readTorchBin(load(bin));
      const want = readSafetensors(load(expected)).tensors;
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [name, w] of want) {
        const g = got.get(name)!;
        expect(g.dtype, name).toBe(w.dtype);
        expect(g.shape, name).toEqual(w.shape);
        expect(Buffer.compare(bytesOf(g.data), bytesOf(w.data)), name).toBe(0);
      }
    });
  }
  it('keeps the state dict order', () => {
    expect([...readTorchBin(load('cases.bin')).keys()].slice(0, 4)).toEqual(['f32', 'f32_t', 'f32_slice', 'f32_step']);
    expect([...readTorchBin(load('module.bin')).keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });
  it('names the legacy non-zip format', () => {
    expect(() => readTorchBin(load('cases-legacy.bin'))).toThrow(CheckpointError);
    expect(() => readTorchBin(load('cases-legacy.bin'))).toThrow(/legacy \(pre-1\.6, non-zip\) torch\.save format/);
  });
});
