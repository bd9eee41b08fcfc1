// softmax(Q·Kᵀ·scale + mask)·V in one dispatch, flash-attention style (Dao et al. 2022; ONNX Runtime WebGPU's
// contrib_ops/webgpu/bert/flash_attention): a workgroup takes one (batch, head, query tile), each invocation one
// query row, and walks the keys a tile at a time through workgroup memory, keeping a running max, a running sum
// and an unnormalised context (online softmax, Milakov & Gimelshein 2018), so the [Tq, Tk] scores never reach
// global memory.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { DROPOUT_WGSL, type DropoutDraw } from '../../ops/dropout-hash.js';
import { dropoutUniforms } from './dropout.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

/**
 * `heads`: q [B, A, Tq, D], k and v [B, A, Tk, D] → [B, A, Tq, D] (the layout of HF's `transpose_for_scores`).
 * `packed`: one qkv [B, T, 3·A·D] (a fused Q/K/V projection: q, k, v side by side, heads merged) → [B, T, A·D],
 * read and written in place, so self-attention needs no head split / merge transposes.
 */
export type AttentionLayout = 'heads' | 'packed';

export interface FlashAttentionShape {
  layout: AttentionLayout;
  batch: number;
  heads: number;
  tq: number;
  tk: number;
  headSize: number;
  /** The additive mask's shape [B | 1, A | 1, Tq | 1, Tk], or null for none. */
  mask: number[] | null;
  scale: number;
  /**
   * Dropout on the probabilities (training): element (b, a, i, j) of the [B, A, Tq, Tk] probabilities is kept
   * when ops/dropout-hash.ts keeps that flat index, as the unfused path's dropout of the probabilities does.
   */
  dropout?: DropoutDraw | null;
}

/** Largest head size the kernel keeps in registers; larger ones use the unfused ops. */
export const MAX_HEAD_SIZE = 256;

export class FlashAttentionProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  readonly variableNames: string[];
  readonly uniforms =
    'batch : i32, heads : i32, tq : i32, tk : i32, qTiles : i32, qOff : i32, kOff : i32, vOff : i32, ' +
    'qB : i32, qA : i32, qT : i32, kB : i32, kA : i32, kT : i32, oB : i32, oA : i32, oT : i32, ' +
    'mB : i32, mA : i32, mQ : i32, scale : f32, key : u32, threshold : u32, keepScale : f32,';
  private readonly bq: number; // query rows per workgroup (= invocations)
  private readonly bk: number; // keys per tile

  constructor(private readonly s: FlashAttentionShape) {
    const { layout, batch, heads, tq, headSize: d } = s;
    if (d > MAX_HEAD_SIZE) throw new Error(`FlashAttentionProgram: head size ${d} is over ${MAX_HEAD_SIZE}`);
    this.bq = tq <= 16 ? 16 : tq <= 32 ? 32 : 64;
    this.bk = Math.max(1, Math.min(32, Math.floor(1024 / d))); // K and V tiles: 2 · bk · d floats ≤ 8 KiB
    this.workgroupSize = [this.bq, 1, 1];
    const h = heads * d;
    this.outputShape = layout === 'packed' ? [batch, tq, h] : [batch, heads, tq, d];
    const mask = s.mask === null ? [] : ['mask'];
    this.variableNames = layout === 'packed' ? ['qkv', ...mask] : ['q', 'k', 'v', ...mask];
    this.dispatch = flatDispatch(batch * heads * Math.ceil(tq / this.bq));
    this.shaderKey = `bertkit_flash_attention_${layout}_${d}_${this.bq}_${this.bk}_${s.mask !== null}_${(s.dropout ?? null) !== null}`;
  }

  uniformData(): ProgramUniform[] {
    const { layout, batch, heads, tq, tk, headSize: d } = this.s;
    const h = heads * d;
    // element (b, a, t, i) of q / k / v / out sits at off + b·B + a·A + t·T + i
    const strides =
      layout === 'packed'
        ? [0, h, 2 * h, tq * 3 * h, d, 3 * h, tk * 3 * h, d, 3 * h, tq * h, d, h]
        : [0, 0, 0, heads * tq * d, tq * d, d, heads * tk * d, tk * d, d, heads * tq * d, tq * d, d];
    const m = this.s.mask ?? [1, 1, 1, tk];
    const mStrides = [m[0] === 1 ? 0 : m[1] * m[2] * tk, m[1] === 1 ? 0 : m[2] * tk, m[2] === 1 ? 0 : tk];
    return [
      ...scalars('int32', [batch, heads, tq, tk, Math.ceil(tq / this.bq), ...strides, ...mStrides]),
      ...scalars('float32', [this.s.scale]),
      ...dropoutUniforms(this.s.dropout ?? null),
    ];
  }

  getUserCode(): string {
    const packed = this.s.layout === 'packed';
    const addMask = this.s.mask === null ? '' : 'sj = sj + mask[mBase + k0 + j];';
    // the probability's weight in the context: the dropout multiplier of (b, head, qi, key); l keeps the
    // undropped sum, as dropout follows the softmax
    const weight = (this.s.dropout ?? null) === null ? 'p' : 'p * dropoutScale(uniforms.key, u32(dBase + k0 + j), uniforms.threshold, uniforms.keepScale)';
    const d = this.s.headSize;
    // a head vector is held as D/4 vec4s when D allows it (llvmpipe and GPUs both do far better with vectors)
    const width = d % 4 === 0 ? 4 : 1;
    const vt = width === 4 ? 'vec4<f32>' : 'f32';
    const gather = (load: string, at: string) =>
      width === 4 ? `vec4<f32>(${load}(${at}), ${load}(${at} + 1), ${load}(${at} + 2), ${load}(${at} + 3))` : `${load}(${at})`;
    const store =
      width === 4
        ? 'for (var c = 0; c < 4; c = c + 1) { setOutputAtIndex(oBase + i * 4 + c, acc[i][c] / l); }'
        : 'setOutputAtIndex(oBase + i, acc[i] / l);';
    return `
      ${WGSL_COMMON}
      ${DROPOUT_WGSL}
      const DV = ${d / width}; // vectors per head vector
      const BQ = ${this.bq};
      const BK = ${this.bk};
      var<workgroup> kTile : array<${vt}, ${this.bk * (d / width)}>;
      var<workgroup> vTile : array<${vt}, ${this.bk * (d / width)}>;

      fn loadQ(i : i32) -> f32 { return ${packed ? 'qkv' : 'q'}[i]; }
      fn loadK(i : i32) -> f32 { return ${packed ? 'qkv' : 'k'}[i]; }
      fn loadV(i : i32) -> f32 { return ${packed ? 'qkv' : 'v'}[i]; }
      fn dotV(a : ${vt}, b : ${vt}) -> f32 { return ${width === 4 ? 'dot(a, b)' : 'a * b'}; }

      fn main(index : i32) {
        let wg = workgroupIndex();
        let qTile = wg % uniforms.qTiles;
        let bh = min(wg / uniforms.qTiles, uniforms.batch * uniforms.heads - 1);
        let head = bh % uniforms.heads;
        let b = bh / uniforms.heads;
        let lid = i32(localIndex);
        let qi = qTile * BQ + lid;
        let valid = qi < uniforms.tq && wg < uniforms.qTiles * uniforms.batch * uniforms.heads;
        let row = min(qi, uniforms.tq - 1);

        var qv : array<${vt}, DV>;
        let qBase = uniforms.qOff + b * uniforms.qB + head * uniforms.qA + row * uniforms.qT;
        for (var i = 0; i < DV; i = i + 1) { qv[i] = ${gather('loadQ', `qBase + i * ${width}`)}; }
        let kBase = b * uniforms.kB + head * uniforms.kA;
        let mBase = b * uniforms.mB + head * uniforms.mA + row * uniforms.mQ;
        let dBase = (bh * uniforms.tq + row) * uniforms.tk; // flat index of (b, head, row, 0) in [B, A, Tq, Tk]

        var acc : array<${vt}, DV>;
        var s : array<f32, BK>;
        var m = LOWEST; // running max of the scores seen
        var l = 0.0; // running sum of exp(score - m)
        for (var k0 = 0; k0 < uniforms.tk; k0 = k0 + BK) {
          for (var e = lid; e < BK * DV; e = e + BQ) {
            let j = e / DV;
            let key = min(k0 + j, uniforms.tk - 1);
            let at = kBase + key * uniforms.kT + (e - j * DV) * ${width};
            kTile[e] = ${gather('loadK', 'uniforms.kOff + at')};
            vTile[e] = ${gather('loadV', 'uniforms.vOff + at')};
          }
          workgroupBarrier();
          let n = min(BK, uniforms.tk - k0);
          var tileMax = LOWEST;
          for (var j = 0; j < n; j = j + 1) {
            var dot = 0.0;
            for (var i = 0; i < DV; i = i + 1) { dot = dot + dotV(qv[i], kTile[j * DV + i]); }
            var sj = dot * uniforms.scale;
            ${addMask}
            s[j] = sj;
            tileMax = max(tileMax, sj);
          }
          let mNew = max(m, tileMax);
          let correction = exp(m - mNew);
          l = l * correction;
          for (var i = 0; i < DV; i = i + 1) { acc[i] = acc[i] * correction; }
          for (var j = 0; j < n; j = j + 1) {
            let p = exp(s[j] - mNew);
            l = l + p;
            let w = ${weight};
            for (var i = 0; i < DV; i = i + 1) { acc[i] = fma(${vt}(w), vTile[j * DV + i], acc[i]); }
          }
          m = mNew;
          workgroupBarrier();
        }
        if (valid) {
          let oBase = b * uniforms.oB + head * uniforms.oA + qi * uniforms.oT;
          for (var i = 0; i < DV; i = i + 1) { ${store} }
        }
      }
    `;
  }
}
