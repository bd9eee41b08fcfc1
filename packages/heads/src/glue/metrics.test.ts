import { readFileSync } from 'node:fs';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { MetricError, accuracy, averageRanks, f1Binary, matthewsCorrelation, pearson, spearman } from './metrics';

describe('classification metrics (sklearn semantics)', () => {
  it('accuracy and binary F1 of class 1', () => {
    expect(accuracy([1, 0, 1, 1], [1, 1, 1, 0])).toBe(0.5);
    // tp 2, fp 1, fn 1 → 2·2 / (4 + 2) = 2/3
    expect(f1Binary([1, 0, 1, 1, 0], [1, 1, 1, 0, 0])).toBe(4 / 6);
    expect(f1Binary([0, 0], [0, 0])).toBe(0); // nothing positive: sklearn's zero_division → 0.0
    expect(() => accuracy([1], [1, 0])).toThrow(MetricError);
    expect(() => accuracy([], [])).toThrow(/at least 1/);
  });
  it('Matthews correlation: binary, multiclass, constant predictions → 0 (as sklearn)', () => {
    expect(matthewsCorrelation([1, 1, 0, 0], [1, 0, 0, 0])).toBe(0.5773502691896258);
    expect(matthewsCorrelation([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 2])).toBe(0.26111648393354675); // sklearn formula, numpy
    expect(matthewsCorrelation([1, 1, 1, 1], [1, 0, 1, 0])).toBe(0);
    expect(matthewsCorrelation([1, 0, 1, 0], [1, 0, 1, 0])).toBe(1);
    expect(matthewsCorrelation([1, 0, 1, 0], [0, 1, 0, 1])).toBe(-1);
  });
});

describe('correlations (scipy semantics)', () => {
  const x = [1, 2, 2, 3, 5, 5, 5, 0.5];
  const y = [2.5, 2.5, 1, 4, 4, 3, 7, 0];
  it('average ranks for ties (scipy rankdata "average")', () => {
    expect(Array.from(averageRanks(x))).toEqual([2, 3.5, 3.5, 5, 7, 7, 7, 1]);
  });
  it('Pearson and Spearman equal scipy.stats to ~1e-15', () => {
    expect(pearson(x, y)).toBeCloseTo(0.7603055412983863, 14);
    expect(spearman(x, y)).toBeCloseTo(0.8510794409931051, 14);
    expect(pearson(x, x)).toBeCloseTo(1, 15);
  });
  it('constant input → NaN (scipy ConstantInputWarning), fewer than 2 values rejected', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNaN();
    expect(() => pearson([1], [1])).toThrow(/at least 2/);
  });
});

const missing = sharedMissing('data/glue/STS-B/dev.tsv') ?? sharedMissing('data/glue/CoLA/dev.tsv');
describe.skipIf(missing)(`metrics on real dev files${missing ? ` (${missing})` : ''}`, () => {
  const tsv = (p: string) => readFileSync(sharedPath(p), 'utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
  it('STS-B dev: a deterministic fake prediction (code points of sentence1 mod 6) vs scipy', () => {
    const rows = tsv('data/glue/STS-B/dev.tsv').slice(1);
    const gold = rows.map((r) => Number(r[9]));
    const pred = rows.map((r) => [...r[7]].length % 6);
    expect(pearson(pred, gold)).toBeCloseTo(-0.020528245835489713, 13);
    expect(spearman(pred, gold)).toBeCloseTo(-0.02233032288463838, 13);
  });
  it('CoLA dev: MCC of a deterministic fake prediction (length mod 3) vs the sklearn formula in numpy', () => {
    const rows = tsv('data/glue/CoLA/dev.tsv');
    expect(rows.length).toBe(1043);
    const gold = rows.map((r) => Number(r[1]));
    const pred = rows.map((r) => ([...r[3]].length % 3 === 0 ? 0 : 1));
    expect(matthewsCorrelation(pred, gold)).toBeCloseTo(0.01742376182718617, 15);
    expect(accuracy(pred, gold)).toBe(0.5647171620325983);
  });
});
