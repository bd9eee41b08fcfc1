import { describe, expect, it } from 'vitest';
import { cFixed, cPrintfF } from './c-printf';

describe('cFixed (glibc printf %.Nf)', () => {
  it('rounds exact binary ties half to even, like printf (JS toFixed rounds them up)', () => {
    expect(cFixed(0.125, 2)).toBe('0.12');
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(cFixed(0.375, 2)).toBe('0.38');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(3.5, 0)).toBe('4');
  });
  it('uses the exact binary value for non-ties', () => {
    expect(cFixed(1.005, 2)).toBe('1.00'); // 1.005 is 1.00499999999999989…
    expect(cFixed(99.67567567567568, 2)).toBe('99.68');
    expect(cFixed(100, 2)).toBe('100.00');
    expect(cFixed(0, 2)).toBe('0.00');
    expect(cFixed(-1.25, 1)).toBe('-1.2');
    expect(cFixed(1e-7, 2)).toBe('0.00');
  });
  it('pads to the width', () => {
    expect(cPrintfF(0, 6, 2)).toBe('  0.00');
    expect(cPrintfF(99.5, 6, 2)).toBe(' 99.50');
    expect(cPrintfF(100, 6, 2)).toBe('100.00');
  });
});
