// A small seeded PRNG (xoshiro128**, seeded through splitmix32) whose whole state is four uint32 words, so a
// training run can save it in a checkpoint and resume bit-exactly. Libraries take an `Rng` as an argument and
// never call Math.random(): every random choice (masking, NSP pairing, dropout, init, shuffling) comes from here.

/** Serializable RNG state: the four xoshiro128** words. */
export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Rng {
  private s: Uint32Array;

  /** A generator seeded from an integer (any 32-bit value; negative and large seeds are folded). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng seed: expected a finite number, got ${seed}`);
    const sm = splitmix32(Math.floor(seed) >>> 0);
    this.s = new Uint32Array([sm(), sm(), sm(), sm()]);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** Restores a generator from `state()`. */
  static fromState(state: RngState): Rng {
    if (!Array.isArray(state) || state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new RangeError(`Rng state: expected four uint32 words, got ${JSON.stringify(state)}`);
    }
    const r = new Rng(0);
    r.s = new Uint32Array(state);
    return r;
  }

  /** The current state (a copy), to store in a checkpoint. */
  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** An independent generator derived from this one's next outputs (for a sub-task such as dropout). */
  fork(): Rng {
    return new Rng(this.nextUint32() ^ rotl(this.nextUint32(), 13));
  }

  /** Uniform uint32. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 bits of randomness. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`Rng.int: expected an integer n in [1, 2^32], got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Uniform integer in [lo, hi] inclusive (Python's random.randint). */
  randint(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`Rng.randint: expected lo <= hi, got lo=${lo} hi=${hi}`);
    return lo + this.int(hi - lo + 1);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Normal with standard deviation `std`, re-drawn outside ±2 std (TF's truncated_normal, used by BERT's init). */
  truncatedNormal(std: number): number {
    for (;;) {
      const x = this.normal();
      if (x >= -2 && x <= 2) return x * std;
    }
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A uniformly chosen element. */
  choice<T>(a: readonly T[]): T {
    if (a.length === 0) throw new RangeError('Rng.choice: expected a non-empty array, got length 0');
    return a[this.int(a.length)];
  }
}
