// Python's `json.dumps` output, so that files and printed scores are byte-identical to what the official scripts
// (and google-research/bert run_squad.py) write. Python prints floats with `repr` (shortest round-trip digits,
// like JS, but with different rules for exponents and a mandatory ".0"), and escapes non-ASCII (`ensure_ascii`).

/** A Python `int` inside a value given to {@link pyJsonDumps} (plain JS numbers are written as Python floats). */
export class PyInt {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyInt | PyJson[] | { [key: string]: PyJson };

/** Python 3 `repr(float)`: fixed notation for decimal exponents -4..15, else `d.ddde+XX`; NaN/Infinity as json. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does.
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Python `json.dumps` string encoding with `ensure_ascii=True` (lower-case `\uXXXX`, code unit by code unit). */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * `json.dumps(value)` (indent undefined: `", "` and `": "` separators on one line) or `json.dumps(value,
 * indent=n)` (Python 3: `","` at line ends, `": "` after keys). Object keys keep insertion order.
 */
export function pyJsonDumps(value: PyJson, indent?: number): string {
  const write = (v: PyJson, depth: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyInt) return String(v.value);
    if (typeof v === 'number') return pyFloatRepr(v);
    if (typeof v === 'string') return pyJsonString(v);
    const isArr = Array.isArray(v);
    const items = isArr ? v.map((x) => write(x, depth + 1)) : Object.entries(v).map(([k, x]) => `${pyJsonString(k)}: ${write(x, depth + 1)}`);
    const [open, close] = isArr ? ['[', ']'] : ['{', '}'];
    if (items.length === 0) return open + close;
    if (indent === undefined) return open + items.join(', ') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    return `${open}\n${pad}${items.join(`,\n${pad}`)}\n${' '.repeat(indent * depth)}${close}`;
  };
  return write(value, 0);
}
