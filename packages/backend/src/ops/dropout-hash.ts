// Counter-based dropout masks: element `index` of the mask drawn with `key` is kept when
// hash(key, index) ≥ rate · 2³², a pure function of two uint32s (no generator state), written identically in
// JS (Math.imul wraps like WGSL's u32 multiply) and in WGSL. A layer draws one key from the run's seeded Rng, and
// every backend — the JS mask on cpu/wasm, the fused WebGPU kernels that test the bit in place — drops the same
// elements without uploading a mask. The mixer is Chris Wellons' lowbias32 (bias ≈ 0.17), applied twice with
// the key folded in between, so two keys give unrelated streams.

function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The uint32 of element `index` in the stream `key`. */
export function dropoutHash(key: number, index: number): number {
  return mix((mix((index ^ mix(key ^ 0x9e3779b9)) >>> 0) + key) >>> 0);
}

/** The uint32 an element's hash must reach to be kept: floor(rate · 2³²), rate in [0, 1). */
export function dropoutThreshold(rate: number): number {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate: expected a number in [0, 1), got ${rate}`);
  return Math.floor(rate * 0x100000000);
}

/** One dropout draw: the rate and the stream key (a uint32 drawn from the run's Rng). */
export interface DropoutDraw {
  rate: number;
  key: number;
}

/** The inverted-dropout multipliers of elements [0, size): 0 for dropped, 1 / (1 - rate) for kept. */
export function dropoutMask(draw: DropoutDraw, size: number): Float32Array {
  const threshold = dropoutThreshold(draw.rate);
  const scale = 1 / (1 - draw.rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = dropoutHash(draw.key, i) < threshold ? 0 : scale;
  return mask;
}

/**
 * WGSL: `dropoutHash(key, index)` as above, and `dropoutScale(key, index, threshold, scale)`: 0 or `scale`
 * (1 / (1 - rate)) for the element, the JS mask's value.
 */
export const DROPOUT_WGSL = `
  fn dropoutMix(v : u32) -> u32 {
    var x = v;
    x = x ^ (x >> 16u);
    x = x * 0x7feb352du;
    x = x ^ (x >> 15u);
    x = x * 0x846ca68bu;
    x = x ^ (x >> 16u);
    return x;
  }
  fn dropoutHash(key : u32, index : u32) -> u32 {
    return dropoutMix(dropoutMix(index ^ dropoutMix(key ^ 0x9e3779b9u)) + key);
  }
  fn dropoutScale(key : u32, index : u32, threshold : u32, scale : f32) -> f32 {
    return select(scale, 0.0, dropoutHash(key, index) < threshold);
  }
`;
