import { describe, expect, it } from 'vitest';
import { classScores, sigmoid } from './class-scores';

describe('classScores', () => {
  it('softmax for single-label, sigmoid per label for multi-label, the logits for regression', () => {
    const l = [1, 3, -2];
    const single = classScores(l, 'single_label_classification');
    const z = Math.exp(1) + Math.exp(3) + Math.exp(-2);
    expect(single.map((p) => p.toFixed(6))).toEqual([Math.exp(1) / z, Math.exp(3) / z, Math.exp(-2) / z].map((p) => p.toFixed(6)));
    expect(classScores(l, 'multi_label_classification')).toEqual([sigmoid(1), sigmoid(3), sigmoid(-2)]);
    expect(sigmoid(0)).toBe(0.5);
    expect(classScores(new Float32Array([0.25]), 'regression')).toEqual([0.25]);
  });

  it('softmax is max-shifted (large logits do not overflow)', () => {
    expect(classScores([1000, 1000], 'single_label_classification')).toEqual([0.5, 0.5]);
  });
});
