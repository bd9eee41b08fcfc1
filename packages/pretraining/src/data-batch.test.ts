import { describe, expect, it } from 'vitest';
import { BatchError, IGNORE_INDEX, collateInstances, iterateBatches } from './data-batch.js';
import type { TrainingInstance } from './instances.js';

const inst = (ids: number[], bStart: number, nsp: number, pos: number[], labels: number[]): TrainingInstance => ({
  inputIds: Int32Array.from(ids),
  segmentBStart: bStart,
  nspLabel: nsp,
  maskedPositions: Int32Array.from(pos),
  maskedLabels: Int32Array.from(labels),
});

describe('collateInstances', () => {
  it('builds [B, T] / [B, P] arrays with padding, token types, both label layouts', () => {
    const b = collateInstances([inst([2, 4, 9, 3, 11, 3], 4, 1, [1, 4], [7, 11]), inst([2, 8, 4, 3], 4, -1, [0, 1, 2], [8, 4, 8])], 7, 3, 0);
    expect(b).toMatchObject({ batchSize: 2, seqLength: 7, maxPredictions: 3 });
    expect([...b.inputIds]).toEqual([2, 4, 9, 3, 11, 3, 0, 2, 8, 4, 3, 0, 0, 0]);
    expect([...b.tokenTypeIds]).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...b.attentionMask]).toEqual([1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0]);
    expect([...b.maskedPositions]).toEqual([1, 4, 0, 0, 1, 2]);
    expect([...b.maskedIds]).toEqual([7, 11, 0, 8, 4, 8]);
    expect([...b.maskedWeights]).toEqual([1, 1, 0, 1, 1, 1]);
    const I = IGNORE_INDEX;
    expect([...b.mlmLabels]).toEqual([I, 7, I, I, 11, I, I, 8, 4, 8, I, I, I, I]);
    expect([...b.nspLabels]).toEqual([1, I]);
  });

  it('rejects an instance longer than the batch shape', () => {
    expect(() => collateInstances([inst([2, 5, 3], 3, 0, [], [])], 2, 1)).toThrow(BatchError);
    expect(() => collateInstances([inst([2, 5, 3], 3, 0, [1, 2], [5, 3])], 3, 1)).toThrow('instance 0 predictions: expected <= maxPredictions=1, got 2');
  });

  it('iterateBatches loops over epochs and resumes exactly from a saved position', () => {
    const xs = Array.from({ length: 5 }, (_, i) => inst([2, 10 + i, 3], 3, i % 2, [1], [10 + i]));
    const take = (it: ReturnType<typeof iterateBatches>, n: number) => Array.from({ length: n }, () => it.next().value!);
    const full = take(iterateBatches(xs, 2, 4, 1), 6);
    expect(full.map((b) => [...b.batch.maskedIds])).toEqual([[10, 11], [12, 13], [14, 10], [11, 12], [13, 14], [10, 11]]);
    expect(full[2].position).toEqual({ epoch: 1, record: 1 });
    const resumed = take(iterateBatches(xs, 2, 4, 1, JSON.parse(JSON.stringify(full[2].position))), 3);
    expect(resumed).toEqual(full.slice(3));
    expect(() => iterateBatches([], 2, 4, 1).next()).toThrow(BatchError);
  });
});
