import { describe, expect, it } from 'vitest';
import { PyInt, pyFloatRepr, pyJsonDumps, pyJsonString } from './py-json';

describe('pyFloatRepr (Python 3 repr(float))', () => {
  const cases: [number, string][] = [
    [0, '0.0'], [-0, '-0.0'], [1, '1.0'], [100, '100.0'], [86.20624408703878, '86.20624408703878'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [1e15, '1000000000000000.0'], [1e16, '1e+16'],
    [1.25e22, '1.25e+22'], [-2.5, '-2.5'], [1e100, '1e+100'], [0.1 + 0.2, '0.30000000000000004'],
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
  ];
  for (const [x, s] of cases) it(`${x} → ${s}`, () => expect(pyFloatRepr(x)).toBe(s));
});

describe('pyJsonDumps', () => {
  it('escapes like ensure_ascii=True', () => {
    expect(pyJsonString('a"b\\c\nd\te\u0001é€😀\u007f')).toBe('"a\\"b\\\\c\\nd\\te\\u0001\\u00e9\\u20ac\\ud83d\\ude00\\u007f"');
  });
  it('one line with ", " separators, ints vs floats', () => {
    expect(pyJsonDumps({ a: 1, b: new PyInt(2), c: [true, null, 'x'] })).toBe('{"a": 1.0, "b": 2, "c": [true, null, "x"]}');
  });
  it('indent=2 (Python 3: no trailing spaces)', () => {
    expect(pyJsonDumps({ a: 0.5, b: { c: [] } }, 2)).toBe('{\n  "a": 0.5,\n  "b": {\n    "c": []\n  }\n}');
  });
});
