import { describe, expect, it } from 'vitest';
import { constantSchedule, linearWarmupDecay } from './schedule.js';
import { TrainingConfigError } from './errors.js';

describe('linearWarmupDecay', () => {
  it('hf style: get_linear_schedule_with_warmup values (warmup 4, total 10, lr 1)', () => {
    const s = linearWarmupDecay({ peakLr: 1, warmupSteps: 4, totalSteps: 10 });
    // t/4 for t < 4, then (10 - t) / 6.
    expect([0, 1, 2, 3, 4, 5, 7, 10, 12].map(s)).toEqual([0, 0.25, 0.5, 0.75, 1, 5 / 6, 3 / 6, 0, 0]);
  });

  it('bert style: polynomial_decay power 1 from step 0, overridden during warmup', () => {
    const s = linearWarmupDecay({ peakLr: 2, warmupSteps: 4, totalSteps: 10, style: 'bert' });
    // 2 * t / 4 for t < 4, then 2 * (1 - t / 10): right after warmup 1.2, not 2.
    const got = [0, 2, 4, 5, 9, 10, 11].map(s);
    const want = [0, 1, 1.2, 1, 0.2, 0, 0];
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 12));
  });

  it('no warmup starts at the peak', () => {
    const s = linearWarmupDecay({ peakLr: 1e-4, warmupSteps: 0, totalSteps: 100 });
    expect(s(0)).toBe(1e-4);
    expect(s(50)).toBeCloseTo(5e-5, 15);
  });

  it('rejects bad configs naming the field', () => {
    expect(() => linearWarmupDecay({ peakLr: 0, warmupSteps: 0, totalSteps: 1 })).toThrow(/peakLr: expected a finite number > 0, got 0/);
    expect(() => linearWarmupDecay({ peakLr: 1, warmupSteps: 5, totalSteps: 3 })).toThrow(/totalSteps: expected an integer >= 1 and >= warmupSteps, got 3/);
    expect(() => linearWarmupDecay({ peakLr: 1, warmupSteps: 1.5, totalSteps: 3 })).toThrow(TrainingConfigError);
    expect(() => linearWarmupDecay({ peakLr: 1, warmupSteps: 1, totalSteps: 3, style: 'x' as 'hf' })).toThrow(/style: expected "hf" or "bert", got "x"/);
  });
});

describe('constantSchedule', () => {
  it('is constant after an optional warmup', () => {
    expect([0, 1, 100].map(constantSchedule(0.5))).toEqual([0.5, 0.5, 0.5]);
    expect([0, 1, 2, 3].map(constantSchedule(0.5, 2))).toEqual([0, 0.25, 0.5, 0.5]);
    expect(() => constantSchedule(-1)).toThrow(/lr: expected a finite number >= 0, got -1/);
  });
});
