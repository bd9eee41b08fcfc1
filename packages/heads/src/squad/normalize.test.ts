import { describe, expect, it } from 'vitest';
import { computeExact, computeF1 } from './evaluate-v2';
import { exactMatchV1, f1ScoreV1 } from './evaluate-v1';
import { answerTokens, normalizeAnswer } from './normalize';

// Expected values printed by the official scripts' normalize_answer / get_tokens / compute_* under Python 3.11.
describe('normalizeAnswer (official normalize_answer)', () => {
  const cases: [string, string, string[]][] = [
    ['The Quick, brown fox!', 'quick brown fox', ['quick', 'brown', 'fox']],
    ['an apple a day', 'apple day', ['apple', 'day']],
    ['éthe théâtre the', 'éthe théâtre', ['éthe', 'théâtre']], // Unicode \b: "é" is a word character
    ['A\u00a0B\u2003the\ufeffC', 'b \ufeffc', ['b', '\ufeffc']], // NBSP/EM SPACE split, U+FEFF does not
    ['x\x1cy\x85z', 'x y z', ['x', 'y', 'z']], // Python isspace() includes U+001C and U+0085
    ['“Hello” — world’s', '“hello” — world’s', ['“hello”', '—', 'world’s']], // string.punctuation is ASCII only
    ['the_a an_the', 'thea anthe', ['thea', 'anthe']], // "_" is punctuation, removed before articles
    ['ΣΑΣ ΟΔΟΣ', 'σας οδος', ['σας', 'οδος']], // final sigma, as Python's str.lower()
    ['İstanbul', 'i̇stanbul', ['i̇stanbul']],
    ['a.b-c', 'abc', ['abc']],
    ['The', '', []],
    ['', '', []],
    ['  a  ', '', []],
  ];
  for (const [input, norm, toks] of cases) {
    it(JSON.stringify(input), () => {
      expect(normalizeAnswer(input)).toBe(norm);
      expect(answerTokens(input)).toEqual(toks);
    });
  }
});

describe('exact / F1 (v2 compute_* and v1.1 *_score)', () => {
  // [gold, pred, v2 exact, v2 f1, v1 f1, v1 exact]
  const cases: [string, string, number, number, number, number][] = [
    ['the cat sat', 'cat sat on the mat', 0, 0.6666666666666666, 0.6666666666666666, 0],
    ['a', 'the', 1, 1, 0, 1], // both normalise to nothing: v2 F1 = 1, v1.1 F1 = 0 (num_same == 0)
    ['', 'the', 1, 1, 0, 1],
    ['', '', 1, 1, 0, 1],
    ['Denver Broncos', 'broncos denver broncos', 0, 0.8, 0.8, 0], // token bags: "broncos" counted once
    ['1,000', '1000', 1, 1, 1, 1],
  ];
  for (const [gold, pred, ex2, f12, f11, ex1] of cases) {
    it(`${JSON.stringify(gold)} vs ${JSON.stringify(pred)}`, () => {
      expect(computeExact(gold, pred)).toBe(ex2);
      expect(computeF1(gold, pred)).toBe(f12);
      expect(f1ScoreV1(pred, gold)).toBe(f11);
      expect(exactMatchV1(pred, gold)).toBe(ex1);
    });
  }
});
