// HF TextClassificationPipeline's scores: by problem_type, function_to_apply defaults and label ranking.
import { bertConfig } from '@bertkit/encoder';
import { describe, expect, it } from 'vitest';
import { applyClassFunction, classScores, defaultClassFunction, labelOf, rankLabels, sigmoid } from './class-scores';

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
describe('class scores (HF text-classification)', () => {
  it('defaults: sigmoid for one output or multi-label, softmax otherwise', () => {
    expect(defaultClassFunction(bertConfig({ numLabels: 1 }))).toBe('sigmoid');
    expect(defaultClassFunction(bertConfig({ numLabels: 3 }))).toBe('softmax');
    expect(defaultClassFunction({ ...bertConfig({ numLabels: 3 }), extra: { problem_type: 'multi_label_classification' } })).toBe('sigmoid');
    expect(defaultClassFunction({ ...bertConfig({ numLabels: 3 }), extra: { problem_type: 'regression' } })).toBe('softmax');
  });

  it('applies the function and ranks labels by id2label, LABEL_i when unnamed', () => {
    const [a, b] = applyClassFunction([0, Math.log(3)], 'softmax');
    expect([a, b]).toEqual([expect.closeTo(0.25, 12), expect.closeTo(0.75, 12)]);
    expect(applyClassFunction([0], 'sigmoid')).toEqual([0.5]);
    expect(applyClassFunction([-2, 5], 'none')).toEqual([-2, 5]);
    expect(() => applyClassFunction([1], 'tanh' as 'none')).toThrow(/function_to_apply: expected softmax \| sigmoid \| none, got "tanh"/);
    const config = { id2label: { '0': 'NEG', '1': 'POS' } };
    expect(rankLabels(config, [0.2, 0.7, 0.1], null)).toEqual([
      { label: 'POS', score: 0.7 },
      { label: 'NEG', score: 0.2 },
      { label: 'LABEL_2', score: 0.1 },
    ]);
    expect(rankLabels(config, [0.2, 0.7, 0.1], 1)).toEqual([{ label: 'POS', score: 0.7 }]);
    expect(labelOf({}, 4)).toBe('LABEL_4');
    expect(() => rankLabels(config, [1], 0)).toThrow(/top_k: expected a positive integer or null, got 0/);
  });
});
