// A framework-free tensor as it lies in a checkpoint file: dtype, shape and a typed array of the values in
// row-major (C) order. Readers (safetensors, torch zip pickle) produce these; the model code turns them into tfjs
// tensors. No tfjs and no node: imports here, so the browser bundle can read checkpoints too.

/** The safetensors dtype names (https://huggingface.co/docs/safetensors, `Dtype` in the Rust crate). */
export type DType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/**
 * Values in row-major order. F16 and BF16 are kept as their raw 16-bit patterns in a `Uint16Array` (JavaScript has
 * no half-precision array); `toFloat32` widens them exactly. BOOL is a `Uint8Array` of 0/1.
 */
export type RawTensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array;

export interface RawTensor {
  dtype: DType;
  shape: number[];
  /** May be a view into the checkpoint's bytes (no copy when aligned): copy before mutating. */
  data: RawTensorData;
}

/** Malformed or unsupported checkpoint bytes; the message names the tensor/field, the expected and the actual. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: Readonly<Record<DType, number>> = {
  F64: 8,
  I64: 8,
  F32: 4,
  I32: 4,
  F16: 2,
  BF16: 2,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export function isDType(s: unknown): s is DType {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, s);
}

/** Product of the dims (1 for a scalar); throws when a dim is not a non-negative safe integer. */
export function numel(shape: readonly number[], what = 'tensor'): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new CheckpointError(`${what}: shape must hold non-negative integers, got [${shape.join(', ')}]`);
    }
    n *= d;
    if (!Number.isSafeInteger(n)) throw new CheckpointError(`${what}: shape [${shape.join(', ')}] is too large`);
  }
  return n;
}

// Typed arrays use the platform's byte order; every checkpoint format here is little endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function arrayFor(dtype: DType, buf: ArrayBuffer, byteOffset: number, length: number): RawTensorData {
  switch (dtype) {
    case 'F32':
      return new Float32Array(buf, byteOffset, length);
    case 'F64':
      return new Float64Array(buf, byteOffset, length);
    case 'I64':
      return new BigInt64Array(buf, byteOffset, length);
    case 'I32':
      return new Int32Array(buf, byteOffset, length);
    case 'I16':
      return new Int16Array(buf, byteOffset, length);
    case 'F16':
    case 'BF16':
      return new Uint16Array(buf, byteOffset, length);
    case 'I8':
      return new Int8Array(buf, byteOffset, length);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buf, byteOffset, length);
  }
}

function swapBytesInPlace(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/**
 * A typed array over `count` little-endian elements at `bytes[offset..]`: a zero-copy view when the absolute
 * offset is a multiple of the element size (typed arrays require it), else a copy. Big-endian hosts always copy
 * and swap. `bigEndianData` says the file itself stores big-endian values (torch's `byteorder` record).
 */
export function typedView(
  dtype: DType,
  bytes: Uint8Array,
  offset: number,
  count: number,
  bigEndianData = false,
): RawTensorData {
  const size = DTYPE_SIZE[dtype];
  const abs = bytes.byteOffset + offset;
  const needSwap = size > 1 && bigEndianData === LITTLE_ENDIAN;
  if (abs % size === 0 && !needSwap) {
    return arrayFor(dtype, bytes.buffer as ArrayBuffer, abs, count);
  }
  const copy = bytes.slice(offset, offset + count * size);
  if (needSwap) swapBytesInPlace(copy, size);
  return arrayFor(dtype, copy.buffer, 0, count);
}

/** The little-endian bytes of a tensor's data (a view on little-endian hosts). */
export function littleEndianBytes(t: RawTensor): Uint8Array {
  const view = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (LITTLE_ENDIAN || DTYPE_SIZE[t.dtype] === 1) return view;
  const copy = view.slice();
  swapBytesInPlace(copy, DTYPE_SIZE[t.dtype]);
  return copy;
}

/** IEEE 754 binary16 bit pattern → the exactly equal float (subnormals, infinities and NaN included). */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero or subnormal: frac · 2^-14 · 2^-10
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25); // (1 + frac/1024) · 2^(exp-15)
}

/** float → nearest binary16 bit pattern (round half to even, overflow → ±Inf), as numpy's astype(float16). */
export function f32ToF16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) {
    // subnormal range: units of 2^-24, round half to even (Math.round rounds half up, so fix ties)
    const q = a * 2 ** 24;
    let r = Math.round(q);
    if (r - q === 0.5 && r % 2 === 1) r -= 1;
    return sign | r; // r === 1024 rolls into the smallest normal exactly
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1; // guard log2 rounding
  if (2 ** (e + 1) <= a) e += 1;
  const q = (a / 2 ** e - 1) * 1024;
  let m = Math.round(q);
  if (m - q === 0.5 && m % 2 === 1) m -= 1;
  let biased = e + 15;
  if (m === 1024) {
    m = 0;
    biased += 1;
  }
  if (biased >= 0x1f) return sign | 0x7c00;
  return sign | (biased << 10) | m;
}

/** float32 → bfloat16 bit pattern, round to nearest even (as torch's `.to(torch.bfloat16)`). */
export function f32ToBF16(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  if ((u & 0x7fffffff) > 0x7f800000) return 0x7fc0; // NaN
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * float32 bit pattern → binary16 bit pattern, round half to even; the bit-level twin of `f32ToF16` (same results
 * for every float32, several times faster: it is what `fromFloat32` uses on whole checkpoints).
 */
export function f32BitsToF16(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return mant ? 0x7e00 : sign | 0x7c00; // NaN → the canonical quiet NaN
  const e = exp - 112; // re-biased exponent (127 → 15)
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rem = mant & ((1 << shift) - 1);
    let r = mant >>> shift;
    if (rem > half || (rem === half && r & 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && r & 1)) r++; // a carry into the exponent is still right (up to Inf)
  return sign | r;
}

/** A tensor of the given float dtype from float32 values (F16/BF16 rounded to nearest even, as torch's `.to`). */
export function fromFloat32(values: Float32Array, shape: number[], dtype: 'F32' | 'F16' | 'BF16' = 'F32'): RawTensor {
  const n = numel(shape);
  if (values.length !== n) {
    throw new CheckpointError(`fromFloat32: shape [${shape.join(', ')}] holds ${n} values, got ${values.length}`);
  }
  if (dtype === 'F32') return { dtype, shape: shape.slice(), data: values };
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(n);
  if (dtype === 'BF16') {
    for (let i = 0; i < n; i++) {
      const u = bits[i];
      out[i] = (u & 0x7fffffff) > 0x7f800000 ? 0x7fc0 : (u + 0x7fff + ((u >>> 16) & 1)) >>> 16;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = f32BitsToF16(bits[i]);
  }
  return { dtype, shape: shape.slice(), data: out };
}

/** The values as float32: F32 is returned as is (may share memory); F16/BF16 widen exactly; others convert. */
export function toFloat32(t: RawTensor): Float32Array {
  const d = t.data;
  switch (t.dtype) {
    case 'F32':
      return d as Float32Array;
    case 'BF16': {
      // bfloat16 is the top half of a float32: shifting the pattern left by 16 is exact.
      const src = d as Uint16Array;
      const out = new Float32Array(src.length);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < src.length; i++) bits[i] = src[i] << 16;
      return out;
    }
    case 'F16': {
      // Re-bias the exponent (15 → 127) and widen the mantissa (10 → 23 bits) on the bit patterns; zeros and
      // subnormals (exponent 0) are rare and go through the arithmetic path.
      const src = d as Uint16Array;
      const out = new Float32Array(src.length);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < src.length; i++) {
        const h = src[i];
        const e = h & 0x7c00;
        if (e === 0) out[i] = f16ToF32(h);
        else if (e === 0x7c00) bits[i] = ((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13);
        else bits[i] = ((h & 0x8000) << 16) | (((h & 0x7fff) + 0x1c000) << 13); // (e+112)<<23 | m<<13
      }
      return out;
    }
    case 'I64': {
      const src = d as BigInt64Array;
      const out = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
      return out;
    }
    default:
      return Float32Array.from(d as Exclude<RawTensorData, BigInt64Array>);
  }
}

/** The values as int32: I32 as is (may share memory); I64 range-checked; smaller ints and BOOL widen. */
export function toInt32(t: RawTensor, name = 'tensor'): Int32Array {
  switch (t.dtype) {
    case 'I32':
      return t.data as Int32Array;
    case 'I64': {
      const src = t.data as BigInt64Array;
      const out = new Int32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        if (v > 2147483647n || v < -2147483648n) {
          throw new CheckpointError(`${name}: I64 value ${v} at index ${i} does not fit in int32`);
        }
        out[i] = Number(v);
      }
      return out;
    }
    case 'I16':
    case 'I8':
    case 'U8':
    case 'BOOL':
      return Int32Array.from(t.data as Int16Array | Int8Array | Uint8Array);
    default:
      throw new CheckpointError(`${name}: expected an integer dtype (I64/I32/I16/I8/U8/BOOL), got ${t.dtype}`);
  }
}

type ArrayCtor = abstract new (...args: never[]) => RawTensorData;
const EXPECTED_ARRAY: Readonly<Record<DType, ArrayCtor>> = {
  F32: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I8: Int8Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
};

/** Checks that a tensor's typed array matches its dtype and its length matches its shape. */
export function checkRawTensor(name: string, t: RawTensor): void {
  if (!isDType(t.dtype)) throw new CheckpointError(`${name}: unknown dtype ${JSON.stringify(t.dtype)}`);
  const want = EXPECTED_ARRAY[t.dtype];
  if (!(t.data instanceof want)) {
    const got = (t.data as object | undefined)?.constructor?.name ?? typeof t.data;
    throw new CheckpointError(`${name}: dtype ${t.dtype} needs a ${want.name}, got ${got}`);
  }
  if (!Array.isArray(t.shape)) throw new CheckpointError(`${name}: shape must be an array, got ${typeof t.shape}`);
  const n = numel(t.shape, name);
  if (t.data.length !== n) {
    throw new CheckpointError(`${name}: shape [${t.shape.join(', ')}] holds ${n} values, data has ${t.data.length}`);
  }
}
