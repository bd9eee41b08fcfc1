import { readFileSync } from 'node:fs';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { readSquadFile, readSquadPredictionsFile } from '../node';
import { SquadEvalError, evaluateSquadV1, formatSquadV1Eval } from './evaluate-v1';
import { evaluateSquadV2, formatSquadV2Eval } from './evaluate-v2';
import { evaluateSquadOfficial } from './evaluate';
import { parseNaProbsJson } from './predictions-file';
import { parseSquad } from './reader';

const context = 'the Paris of France a';
const ans = (text: string) => ({ text, answer_start: context.indexOf(text) });
const qa = (id: string, answers: string[], extra: object = {}) => ({ id, question: '?', answers: answers.map(ans), ...extra });
const v2 = parseSquad({
  version: 'v2.0',
  data: [{ title: 'T', paragraphs: [{ context, qas: [
    qa('q1', ['Paris', 'the Paris of France'], { is_impossible: false }),
    qa('q2', [], { is_impossible: true, plausible_answers: [ans('France')] }),
    qa('q3', ['a'], { is_impossible: false }), // gold normalises to "": only "" is right
    qa('q4', [], { is_impossible: true }),
  ] }] }],
});
const preds = { q1: 'Paris of', q2: 'France', q3: '', q4: '' };

// Expected strings: what the official scripts (Python 3.11) print for these inputs.
describe('evaluateSquadV2 on a hand-built set', () => {
  it('overall / HasAns / NoAns breakdown', () => {
    expect(formatSquadV2Eval(evaluateSquadV2(v2, preds))).toBe(
      '{\n  "exact": 50.0,\n  "f1": 70.0,\n  "total": 4,\n  "HasAns_exact": 50.0,\n  "HasAns_f1": 90.0,\n  "HasAns_total": 2,\n' +
        '  "NoAns_exact": 50.0,\n  "NoAns_f1": 50.0,\n  "NoAns_total": 2\n}',
    );
  });
  it('na_probs with --na-prob-thresh 0.4 and the best-threshold search', () => {
    const r = evaluateSquadV2(v2, preds, { naProbs: { q4: 0.3, q1: 0.5, q2: 0.5, q3: 0.9 }, naProbThresh: 0.4 });
    expect(r).toEqual({
      exact: 50, f1: 50, total: 4, HasAns_exact: 0, HasAns_f1: 0, HasAns_total: 2, NoAns_exact: 100, NoAns_f1: 100, NoAns_total: 2,
      best_exact: 50, best_exact_thresh: 0, best_f1: 70, best_f1_thresh: 0.5,
    });
    expect(Object.keys(r)).toEqual(['exact', 'f1', 'total', 'HasAns_exact', 'HasAns_f1', 'HasAns_total', 'NoAns_exact', 'NoAns_f1', 'NoAns_total', 'best_exact', 'best_exact_thresh', 'best_f1', 'best_f1_thresh']);
  });
  it('a missing prediction is an error naming it (the script dies with a KeyError)', () => {
    expect(() => evaluateSquadV2(v2, { q1: 'x', q2: '', q3: '' })).toThrow(SquadEvalError);
    expect(() => evaluateSquadV2(v2, { q1: 'x', q2: '', q3: '' })).toThrow(/missing 1 \(first: q4\)/);
    expect(() => evaluateSquadV2(v2, preds, { naProbs: { q1: 0 } })).toThrow(/na_probs: expected a number for every question, missing 3/);
  });
});

describe('evaluateSquadV2 best threshold: ties follow the na_prob file order (Python stable sort)', () => {
  const ds = parseSquad({ version: 'v2.0', data: [{ title: 'T', paragraphs: [{ context: 'red fox', qas: [
    { id: '10', question: '?', answers: [{ text: 'fox', answer_start: 4 }], is_impossible: false },
    { id: '2', question: '?', answers: [], is_impossible: true },
  ] }] }] });
  it('file order {"10", "2"} gives best_exact 100.0 as evaluate-v2.0.py prints', () => {
    const naProbs = parseNaProbsJson('{"10": 0.5, "2": 0.5}');
    expect(formatSquadV2Eval(evaluateSquadV2(ds, { 10: 'fox', 2: 'x' }, { naProbs }))).toBe(
      '{\n  "exact": 50.0,\n  "f1": 50.0,\n  "total": 2,\n  "HasAns_exact": 100.0,\n  "HasAns_f1": 100.0,\n  "HasAns_total": 1,\n' +
        '  "NoAns_exact": 0.0,\n  "NoAns_f1": 0.0,\n  "NoAns_total": 1,\n  "best_exact": 100.0,\n  "best_exact_thresh": 0.5,\n' +
        '  "best_f1": 100.0,\n  "best_f1_thresh": 0.5\n}',
    );
  });
});

describe('evaluateSquadV1 on a hand-built set', () => {
  const v1 = parseSquad({ version: '1.1', data: [{ title: 'T', paragraphs: [{ context, qas: [qa('q1', ['Paris', 'the Paris of France']), qa('q2', ['France']), qa('q3', ['a'])] }] }] });
  it('unanswered questions score 0 and are reported', () => {
    const r = evaluateSquadV1(v1, { q1: 'Paris of', q3: 'the' });
    expect(formatSquadV1Eval(r.scores)).toBe('{"exact_match": 33.333333333333336, "f1": 26.666666666666668}');
    expect(r.warnings).toEqual(['Unanswered question q2 will receive score 0.']);
  });
  it('evaluateSquadOfficial picks the script from the version', () => {
    const r = evaluateSquadOfficial(v1, { q1: 'Paris of', q2: 'France', q3: 'the' });
    expect(r.script).toBe('v1.1');
    expect(r.text).toBe('{"exact_match": 66.66666666666667, "f1": 60.0}');
    expect(evaluateSquadOfficial(v2, preds).script).toBe('v2.0');
    expect(() => evaluateSquadOfficial(v1, {}, { naProbs: {} })).toThrow(/expected none with the v1.1 script/);
  });
  it('warns on a v2.0 file and refuses its unanswerable questions like the script (max of an empty list)', () => {
    const r = () => evaluateSquadV1(v2, preds);
    expect(r).toThrow(/question q2: expected at least one gold answer/);
  });
});

const ref = 'data/squad/reference-predictions/';
const missing = sharedMissing(ref) ?? sharedMissing('data/squad/dev-v2.0.json');
describe.skipIf(missing)(`official scores of Google's BERT predictions${missing ? ` (${missing})` : ''}`, () => {
  it('v1.1 ensemble: the exact bytes evaluate-v1.1.py prints (EM 86.2062 / F1 92.1956)', () => {
    const r = evaluateSquadV1(readSquadFile(sharedPath('data/squad/dev-v1.1.json')), readSquadPredictionsFile(sharedPath(`${ref}v1.1-bert-ensemble-google.json`)));
    expect(r.warnings).toEqual([]);
    expect(`${formatSquadV1Eval(r.scores)}\n`).toBe(readFileSync(sharedPath(`${ref}v1.1-bert-ensemble-google.official-score.json`), 'utf8'));
  });
  const ds = () => readSquadFile(sharedPath('data/squad/dev-v2.0.json'));
  const p2 = () => readSquadPredictionsFile(sharedPath(`${ref}v2.0-bert-single-google.json`));
  it('v2.0 single: the exact bytes evaluate-v2.0.py prints (EM 78.7417 / F1 81.7753)', () => {
    expect(`${formatSquadV2Eval(evaluateSquadV2(ds(), p2()))}\n`).toBe(readFileSync(sharedPath(`${ref}v2.0-bert-single-google.official-score.json`), 'utf8'));
  });
  it('v2.0 with a synthetic na_prob file: same numbers as evaluate-v2.0.py -n (best_* and thresholds, ties)', () => {
    const p = p2();
    // Multiples of 1/128 (exact in binary, many ties); the same file was fed to the official script.
    const naProbs: Record<string, number> = {};
    Object.entries(p).forEach(([k, v], i) => (naProbs[k] = v === '' ? (64 + ((i * 37) % 64)) / 128 : ((i * 53) % 96) / 128));
    const best = { best_exact: 78.75852775204245, best_exact_thresh: 0.7421875, best_f1: 81.78463882502807, best_f1_thresh: 0.7421875 };
    expect(evaluateSquadV2(ds(), p, { naProbs })).toEqual({
      exact: 78.74168280973637, f1: 81.77528052374723, total: 11873, HasAns_exact: 74.10593792172739, HasAns_f1: 80.18183293833508, HasAns_total: 5928,
      NoAns_exact: 83.36417157275021, NoAns_f1: 83.36417157275021, NoAns_total: 5945, ...best,
    });
    expect(evaluateSquadV2(ds(), p, { naProbs, naProbThresh: 0.6 })).toEqual({
      exact: 73.14073949296724, f1: 75.59453698864924, total: 11873, HasAns_exact: 59.63225371120108, HasAns_f1: 64.5468855712267, HasAns_total: 5928,
      NoAns_exact: 86.61059714045416, NoAns_f1: 86.61059714045416, NoAns_total: 5945, ...best,
    });
  });
});
