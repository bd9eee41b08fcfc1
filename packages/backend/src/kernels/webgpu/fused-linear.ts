// y = act(x · W + b) + residual in one dispatch (the fused epilogue of tfjs-backend-webgpu's
// matmul_packed_webgpu, written for bertkit's linear layers). W may be given as up to three column blocks
// [K, N0 | N1 | N2] read in place (a Q/K/V projection without concatenating the weights).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

/** Epilogue activations: exact-erf GELU (BERT), the tanh GELU (`gelu_new`), ReLU, tanh (the pooler). */
export type FusedActivation = 'gelu' | 'gelu_tanh' | 'relu' | 'tanh';

const TILE = 32; // output tile TILE × TILE per workgroup, K consumed TILE at a time
const WORK = 4; // each of the 8 × 8 invocations computes WORK × WORK outputs

const ACTIVATIONS: Record<FusedActivation, string> = {
  gelu: 'return 0.5 * v * (1.0 + erfApprox(v * 0.7071067811865476));',
  gelu_tanh: 'return 0.5 * v * (1.0 + tanhSafe(0.7978845608028654 * (v + 0.044715 * v * v * v)));',
  relu: 'return max(v, 0.0);',
  tanh: 'return tanhSafe(v);',
};

export interface FusedLinearShape {
  m: number; // rows of x
  k: number; // inner size
  widths: number[]; // N0, N1, ... (one per weight block, 1 to 3)
  bias: boolean;
  activation: FusedActivation | null;
  residual: boolean;
}

/**
 * Inputs, in order: x [M, K], w0..w{P-1} [K, Ni], then (bias) b0..b{P-1} [Ni], then (residual) [M, N];
 * output [M, N] with N = ΣNi. Tiled through workgroup memory: a 32 × 32 output tile per workgroup, 8 × 8
 * invocations of 4 × 4 outputs each; edges of any M, N, K are masked, so odd sizes need no padding.
 */
export class FusedLinearProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [TILE / WORK, TILE / WORK, 1];
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, n : i32, k : i32, tilesN : i32, end0 : i32, end1 : i32,';

  constructor(private readonly shape: FusedLinearShape) {
    const parts = shape.widths.length;
    if (parts < 1 || parts > 3) throw new Error(`FusedLinearProgram: expected 1 to 3 weight blocks, got ${parts}`);
    const n = shape.widths.reduce((a, b) => a + b, 0);
    this.outputShape = [shape.m, n];
    const w = shape.widths.map((_, i) => `w${i}`);
    const b = shape.bias ? shape.widths.map((_, i) => `bias${i}`) : [];
    this.variableNames = ['x', ...w, ...b, ...(shape.residual ? ['residual'] : [])];
    this.dispatch = flatDispatch(Math.ceil(shape.m / TILE) * Math.ceil(n / TILE));
    this.shaderKey = `bertkit_fused_linear_${parts}_${shape.bias}_${shape.activation}_${shape.residual}`;
  }

  /** The uniforms' values, in the order of {@link uniforms}. */
  uniformData(): ProgramUniform[] {
    const [n0, n1 = 0] = this.shape.widths;
    const n = this.outputShape[1];
    return scalars('int32', [this.shape.m, n, this.shape.k, Math.ceil(n / TILE), n0, n0 + n1]);
  }

  getUserCode(): string {
    const parts = this.shape.widths.length;
    // column c of the logical [K, N] weight lives in block i at column c - start(i)
    const readW =
      parts === 1
        ? 'return w0[kk * uniforms.n + c];'
        : `if (c < uniforms.end0) { return w0[kk * uniforms.end0 + c]; }
           ${parts === 2 ? '' : 'if (c < uniforms.end1) { return w1[kk * (uniforms.end1 - uniforms.end0) + c - uniforms.end0]; }'}
           ${parts === 2 ? 'return w1[kk * (uniforms.n - uniforms.end0) + c - uniforms.end0];' : 'return w2[kk * (uniforms.n - uniforms.end1) + c - uniforms.end1];'}`;
    const readBias = !this.shape.bias
      ? 'return 0.0;'
      : parts === 1
        ? 'return bias0[c];'
        : `if (c < uniforms.end0) { return bias0[c]; }
           ${parts === 2 ? 'return bias1[c - uniforms.end0];' : 'if (c < uniforms.end1) { return bias1[c - uniforms.end0]; } return bias2[c - uniforms.end1];'}`;
    const act = this.shape.activation === null ? 'return v;' : ACTIVATIONS[this.shape.activation];
    const addResidual = this.shape.residual ? 'v = v + residual[r * uniforms.n + c];' : '';
    return `
      ${WGSL_COMMON}
      const TILE = ${TILE};
      const WORK = ${WORK};
      const THREADS = ${(TILE / WORK) ** 2};
      var<workgroup> tileX : array<array<f32, TILE>, TILE>; // [row][k]
      var<workgroup> tileW : array<array<f32, TILE>, TILE>; // [k][col]

      fn readW(kk : i32, c : i32) -> f32 {
        ${readW}
      }
      fn readBias(c : i32) -> f32 {
        ${readBias}
      }
      fn activate(v : f32) -> f32 {
        ${act}
      }

      fn main(index : i32) {
        let wg = workgroupIndex();
        let tileRow = wg / uniforms.tilesN;
        let tileCol = wg - tileRow * uniforms.tilesN;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let lid = i32(localIndex);
        var acc : array<array<f32, WORK>, WORK>;
        let tilesK = (uniforms.k + TILE - 1) / TILE;
        for (var t = 0; t < tilesK; t = t + 1) {
          for (var e = lid; e < TILE * TILE; e = e + THREADS) {
            let r = e / TILE;
            let q = e - r * TILE;
            let gr = tileRow * TILE + r;
            let gk = t * TILE + q;
            var xv = 0.0;
            if (gr < uniforms.m && gk < uniforms.k) { xv = x[gr * uniforms.k + gk]; }
            tileX[r][q] = xv;
            let kr = t * TILE + r;
            let gc = tileCol * TILE + q;
            var wv = 0.0;
            if (kr < uniforms.k && gc < uniforms.n) { wv = readW(kr, gc); }
            tileW[r][q] = wv;
          }
          workgroupBarrier();
          for (var kk = 0; kk < TILE; kk = kk + 1) {
            var xs : array<f32, WORK>;
            for (var i = 0; i < WORK; i = i + 1) { xs[i] = tileX[ly * WORK + i][kk]; }
            for (var j = 0; j < WORK; j = j + 1) {
              let wv = tileW[kk][lx * WORK + j];
              for (var i = 0; i < WORK; i = i + 1) { acc[i][j] = fma(xs[i], wv, acc[i][j]); }
            }
          }
          workgroupBarrier();
        }
        for (var i = 0; i < WORK; i = i + 1) {
          let r = tileRow * TILE + ly * WORK + i;
          for (var j = 0; j < WORK; j = j + 1) {
            let c = tileCol * TILE + lx * WORK + j;
            if (r < uniforms.m && c < uniforms.n) {
              var v = activate(acc[i][j] + readBias(c));
              ${addResidual}
              setOutputAtIndex(r * uniforms.n + c, v);
            }
          }
        }
      }
    `;
  }
}
