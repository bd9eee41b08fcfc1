// fromFloat32's F16/BF16 rounding against torch 2.11's `.to(torch.float16 / torch.bfloat16)` on the probes in
// testdata/torch-2.11/rounding-probes.bin (ties, neighbours of ties, subnormals, overflow, random patterns).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromFloat32 } from './raw-tensor';

describe('F32 → F16/BF16 rounding matches torch', () => {
  it('on every probe (NaN compared as a class)', () => {
    const raw = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'torch-2.11', 'rounding-probes.bin'));
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const n = raw.byteLength / 8;
    const bits = new Uint32Array(n);
    for (let i = 0; i < n; i++) bits[i] = dv.getUint32(8 * i, true);
    const values = new Float32Array(bits.buffer);
    const f16 = fromFloat32(values, [n], 'F16').data as Uint16Array;
    const bf16 = fromFloat32(values, [n], 'BF16').data as Uint16Array;
    const nan16 = (h: number): boolean => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    const nanB = (h: number): boolean => (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      const t16 = dv.getUint16(8 * i + 4, true);
      const tB = dv.getUint16(8 * i + 6, true);
      const ok16 = nan16(t16) ? nan16(f16[i]) : f16[i] === t16;
      const okB = nanB(tB) ? nanB(bf16[i]) : bf16[i] === tB;
      if ((!ok16 || !okB) && bad.length < 5) bad.push(`0x${bits[i].toString(16)}: ${f16[i]}/${bf16[i]} vs ${t16}/${tB}`);
    }
    expect(n).toBeGreaterThan(4000);
    expect(bad).toEqual([]);
  });
});
