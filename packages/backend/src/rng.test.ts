import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });
  it('resumes exactly from a saved state', () => {
    const a = new Rng(7);
    for (let i = 0; i < 100; i++) a.random();
    const b = Rng.fromState(a.state());
    expect(Array.from({ length: 10 }, () => b.random())).toEqual(Array.from({ length: 10 }, () => a.random()));
  });
  it('draws uniform integers and floats with the right moments', () => {
    const r = new Rng(1);
    const counts = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) { counts[r.int(10)]++; sum += r.random(); }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
  });
  it('truncated normal stays within two standard deviations', () => {
    const r = new Rng(3);
    let sq = 0;
    for (let i = 0; i < 20_000; i++) { const x = r.truncatedNormal(0.02); expect(Math.abs(x)).toBeLessThanOrEqual(0.04); sq += x * x; }
    // Var of N(0,1) truncated at ±2 is ≈ 0.774.
    expect(Math.sqrt(sq / 20_000) / 0.02).toBeCloseTo(Math.sqrt(0.774), 1);
  });
  it('rejects bad arguments with the value in the message', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/NaN/);
    expect(() => new Rng(1).int(0)).toThrow(/got 0/);
    expect(() => Rng.fromState([1, 2, 3] as never)).toThrow(/\[1,2,3\]/);
  });
});
