import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { readGlueFile } from '../node';
import { evaluateGluePredictions, formatGluePredictions, glueScores, parseGluePredictions } from './evaluate';
import { GlueFormatError, parseGlueTsv } from './reader';
import { GLUE_TASKS } from './tasks';

describe('glueScores (HF glue metric keys)', () => {
  it('picks the task metrics and adds combined_score when there are two', () => {
    expect(glueScores(GLUE_TASKS.mrpc, [1, 0, 1, 1, 0], [1, 1, 1, 0, 0])).toEqual({ accuracy: 0.6, f1: 4 / 6, combined_score: (0.6 + 4 / 6) / 2 });
    expect(glueScores(GLUE_TASKS.rte, [0, 1], [0, 0])).toEqual({ accuracy: 0.5 });
    expect(glueScores(GLUE_TASKS.cola, [1, 1], [1, 0])).toEqual({ matthews_correlation: 0 });
    const sts = glueScores(GLUE_TASKS.stsb, [1, 2, 3], [1, 2, 4]);
    expect(Object.keys(sts)).toEqual(['pearson', 'spearmanr', 'combined_score']);
    expect(sts.spearmanr).toBeCloseTo(1, 15);
  });
});

describe('GLUE predictions files', () => {
  it('writes and reads the submission format (labels as strings, STS-B %.3f)', () => {
    const rte = formatGluePredictions(GLUE_TASKS.rte, [{ id: '0', prediction: 1 }, { id: '1', prediction: 0 }]);
    expect(rte).toBe('index\tprediction\n0\tnot_entailment\n1\tentailment\n');
    expect([...parseGluePredictions(GLUE_TASKS.rte, rte)]).toEqual([['0', 1], ['1', 0]]);
    expect(formatGluePredictions(GLUE_TASKS.stsb, [{ id: '7', prediction: 0.0625 }, { id: '8', prediction: 4.9996 }])).toBe('index\tprediction\n7\t0.062\n8\t5.000\n');
    expect(() => formatGluePredictions(GLUE_TASKS.rte, [{ id: '0', prediction: 2 }])).toThrow(/expected a class id in \[0, 1\], got 2/);
    expect(() => parseGluePredictions(GLUE_TASKS.rte, 'index\tprediction\n0\tentailment\n0\tentailment\n')).toThrow(/unique index/);
  });
  it('scores a predictions file against a labelled dev file by id; missing ids are an error', () => {
    const dev = parseGlueTsv(GLUE_TASKS.rte, 'dev', 'index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n1\tc\td\tnot_entailment\n');
    const preds = parseGluePredictions(GLUE_TASKS.rte, 'index\tprediction\n1\tnot_entailment\n0\tnot_entailment\n');
    expect(evaluateGluePredictions(GLUE_TASKS.rte, dev, preds)).toEqual({ accuracy: 0.5 });
    preds.delete('0');
    expect(() => evaluateGluePredictions(GLUE_TASKS.rte, dev, preds)).toThrow(GlueFormatError);
  });
});

const missing = sharedMissing('data/glue/MRPC/dev.tsv');
describe.skipIf(missing)(`majority-class baselines on real dev files${missing ? ` (${missing})` : ''}`, () => {
  it('MRPC dev: always "paraphrase" → accuracy 279/408, F1 2·279/(2·279+129)', () => {
    const dev = readGlueFile(GLUE_TASKS.mrpc, 'dev', sharedPath('data/glue/MRPC/dev.tsv'));
    const preds = new Map(dev.map((e) => [e.id, 1]));
    const s = evaluateGluePredictions(GLUE_TASKS.mrpc, dev, preds);
    expect(s.accuracy).toBe(279 / 408);
    expect(s.f1).toBe(558 / 687);
  });
});
