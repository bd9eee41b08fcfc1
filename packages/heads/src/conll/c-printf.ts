// C/Perl `printf("%W.Pf")` for the conlleval report. JS `toFixed` rounds exact ties (e.g. 0.125) up, while
// glibc printf rounds the exact binary value half-to-even ("0.12"); this reproduces printf exactly with BigInt.

/** `sprintf("%.{digits}f", x)` as glibc prints it (exact decimal expansion, ties to even). */
export function cFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const [num, den] = exactFraction(Math.abs(x)); // |x| = num / den exactly, den a power of two
  const scaled = num * 10n ** BigInt(digits);
  let q = scaled / den;
  const r2 = (scaled % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  let s = q.toString().padStart(digits + 1, '0');
  if (digits > 0) s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return (neg ? '-' : '') + s;
}

/** `sprintf("%{width}.{digits}f", x)`: right-aligned in `width` characters. */
export function cPrintfF(x: number, width: number, digits: number): string {
  return cFixed(x, digits).padStart(width, ' ');
}

function exactFraction(x: number): [bigint, bigint] {
  if (x === 0) return [0n, 1n];
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const exp = (expBits === 0 ? 1 : expBits) - 1075; // x = mant * 2^exp
  return exp >= 0 ? [mant << BigInt(exp), 1n] : [mant, 1n << BigInt(-exp)];
}
