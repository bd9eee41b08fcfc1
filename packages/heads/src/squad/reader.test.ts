import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { readSquadFile } from '../node';
import { SquadFormatError, parseSquad } from './reader';

const tiny = (context: string, answerStart: number, text: string, extra: object = {}) => ({
  version: 'v2.0',
  data: [{ title: 'T', paragraphs: [{ context, qas: [{ id: 'q1', question: 'Q?', answers: [{ text, answer_start: answerStart }], is_impossible: false, ...extra }] }] }],
});

describe('parseSquad', () => {
  it('converts code-point answer_start to UTF-16 offsets (astral characters before the answer)', () => {
    // "😀" is one code point but two UTF-16 units: code point 4 = UTF-16 index 5.
    const ds = parseSquad(tiny('😀 a Paris b', 4, 'Paris'));
    expect(ds.examples[0].answers[0]).toEqual({ text: 'Paris', start: 5, end: 10, answerStart: 4 });
    expect(ds.examples[0].context.slice(5, 10)).toBe('Paris');
  });
  it('reads v2 plausible answers of impossible questions', () => {
    const ds = parseSquad(tiny('the red fox', 4, 'red', { answers: [], is_impossible: true, plausible_answers: [{ text: 'fox', answer_start: 8 }] }));
    const ex = ds.examples[0];
    expect(ex.isImpossible).toBe(true);
    expect(ex.answers).toEqual([]);
    expect(ex.plausibleAnswers).toEqual([{ text: 'fox', start: 8, end: 11, answerStart: 8 }]);
  });
  it('rejects an answer that is not at its offset, naming the path', () => {
    expect(() => parseSquad(tiny('the red fox', 3, 'red'))).toThrow(SquadFormatError);
    expect(() => parseSquad(tiny('the red fox', 3, 'red'))).toThrow(/\$\.data\[0\]\.paragraphs\[0\]\.qas\[0\]\.answers\[0\]\.text/);
    expect(() => parseSquad(tiny('the red fox', 99, 'red'))).toThrow(/answer_start: expected an integer code-point offset in \[0, 11\], got 99/);
    expect(() => parseSquad({ data: [] })).toThrow(/\$\.version: expected a string, got undefined/);
  });
});

const v1Missing = sharedMissing('data/squad/dev-v1.1.json');
describe.skipIf(v1Missing)(`SQuAD dev files${v1Missing ? ` (${v1Missing})` : ''}`, () => {
  it('dev-v1.1.json: 10,570 questions, 48 articles, 2,067 paragraphs, 34,726 answers, all verified', () => {
    const ds = readSquadFile(sharedPath('data/squad/dev-v1.1.json'));
    expect(ds.version).toBe('1.1');
    expect(ds.examples.length).toBe(10570);
    expect(new Set(ds.examples.map((e) => e.title)).size).toBe(48);
    expect(new Set(ds.examples.map((e) => e.context)).size).toBe(2067); // paragraphs (no two share a context)
    expect(ds.examples.reduce((n, e) => n + e.answers.length, 0)).toBe(34726);
    expect(ds.examples[0].id).toBe('56be4db0acb8001400a502ec');
    for (const e of ds.examples) for (const a of e.answers) expect(e.context.slice(a.start, a.end)).toBe(a.text);
  });
  it('dev-v2.0.json: 11,873 questions, 5,945 impossible with plausible answers', () => {
    const ds = readSquadFile(sharedPath('data/squad/dev-v2.0.json'));
    expect(ds.version).toBe('v2.0');
    expect(ds.examples.length).toBe(11873);
    expect(new Set(ds.examples.map((e) => e.title)).size).toBe(35);
    expect(new Set(ds.examples.map((e) => e.context)).size).toBe(1204);
    expect(ds.examples.filter((e) => e.isImpossible).length).toBe(5945);
    expect(ds.examples.filter((e) => e.answers.length > 0).length).toBe(5928);
    // 15 impossible questions carry an empty plausible_answers list (measured with Python on the same file).
    expect(ds.examples.filter((e) => e.isImpossible && e.plausibleAnswers.length > 0).length).toBe(5930);
  });
});
