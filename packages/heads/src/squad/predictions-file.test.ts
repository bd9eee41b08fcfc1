import { describe, expect, it } from 'vitest';
import { SquadPredictionsError, formatNaProbsJson, formatNbestJson, formatPredictionsJson, parseNaProbsJson, parsePredictionsJson } from './predictions-file';

describe('official prediction files', () => {
  it('predictions.json as run_squad.py writes it (json.dumps(indent=4) + "\\n", ensure_ascii)', () => {
    const text = formatPredictionsJson({ q1: 'Zürich', q2: '' });
    expect(text).toBe('{\n    "q1": "Z\\u00fcrich",\n    "q2": ""\n}\n');
    expect(parsePredictionsJson(text)).toEqual({ q1: 'Zürich', q2: '' });
  });
  it('null_odds / na_prob.json values are Python floats', () => {
    const text = formatNaProbsJson({ q1: -3, q2: 0.25 });
    expect(text).toBe('{\n    "q1": -3.0,\n    "q2": 0.25\n}\n');
    expect([...parseNaProbsJson(text)]).toEqual([['q1', -3], ['q2', 0.25]]);
    // File order is kept even for integer-like ids (a JS object would list "2" before "10").
    expect([...parseNaProbsJson('{"10": 0.5, "a\\"b": 1, "2": 0.5}').keys()]).toEqual(['10', 'a"b', '2']);
  });
  it('nbest_predictions.json keeps run_squad.py key order', () => {
    expect(formatNbestJson({ q: [{ end_logit: 1, start_logit: 2, probability: 0.5, text: 'a' }] })).toBe(
      '{\n    "q": [\n        {\n            "text": "a",\n            "probability": 0.5,\n            "start_logit": 2.0,\n            "end_logit": 1.0\n        }\n    ]\n}\n',
    );
  });
  it('rejects malformed files naming the key', () => {
    expect(() => parsePredictionsJson('{"q1": 3}')).toThrow(/predictions\["q1"\]: expected a string, got 3/);
    expect(() => parseNaProbsJson('[1]')).toThrow(SquadPredictionsError);
    expect(() => parsePredictionsJson('{')).toThrow(/expected JSON/);
  });
});
