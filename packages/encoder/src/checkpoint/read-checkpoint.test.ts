import { describe, expect, it } from 'vitest';
import { CheckpointError, type RawTensor } from './raw-tensor';
import { checkpointFormatOf, readCheckpoint } from './read-checkpoint';
import { writeSafetensors } from './safetensors';

const x: RawTensor = { dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) };

describe('readCheckpoint', () => {
  it('picks the reader from the file name', () => {
    expect(checkpointFormatOf('/m/model.safetensors')).toBe('safetensors');
    expect(checkpointFormatOf('C:\\m\\pytorch_model.bin')).toBe('torch');
    expect(checkpointFormatOf('weights.PT')).toBe('torch');
    expect(checkpointFormatOf('config.json')).toBeNull();
  });
  it('reads safetensors by name and by content', () => {
    const bytes = writeSafetensors({ x });
    for (const name of ['model.safetensors', '', 'blob']) {
      const c = readCheckpoint(bytes, name);
      expect(c.format).toBe('safetensors');
      expect(c.metadata).toEqual({ format: 'pt' });
      expect(Array.from(c.tensors.get('x')!.data as Float32Array)).toEqual([1, 2]);
    }
  });
  it('sends zips and legacy pickles to the torch reader and names a mislabelled file', () => {
    const legacy = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a]);
    expect(() => readCheckpoint(legacy)).toThrow(/legacy \(pre-1\.6, non-zip\)/);
    expect(() => readCheckpoint(writeSafetensors({ x }), 'pytorch_model.bin')).toThrow(CheckpointError);
    const zipMagic = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect(() => readCheckpoint(zipMagic)).toThrow(/end of central directory/);
    expect(() => readCheckpoint(zipMagic, 'model.safetensors')).toThrow(/model\.safetensors: named \.safetensors but the bytes are a zip/);
  });
});
